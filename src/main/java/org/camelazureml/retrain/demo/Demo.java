package org.camelazureml.retrain.demo;

import java.io.PrintStream;

/** Placeholder until the emulator lands. */
public class Demo {
    private final PrintStream out;

    public Demo(PrintStream out) {
        this.out = out;
    }

    public int run() {
        out.println("demo not wired yet");
        return 1;
    }
}

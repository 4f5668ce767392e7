package org.camelazureml.retrain.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Options every operations command takes. */
public class CommonOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file with your retrain.* settings (default: ./application.properties if present).")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;
}

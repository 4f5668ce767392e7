package org.camelazureml.retrain.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.camelazureml.retrain.azurite.AzuriteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @TempDir
    Path dataDir;

    @Test
    void completesARetrainingCycleAndShowsTheServedModelIsTheArchivedOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = new Demo(new PrintStream(out, true, StandardCharsets.UTF_8), dataDir).run();

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("SUCCEEDED: training job", "= the archived model", "after: the scoring endpoint"
                + " predicts", "emulator and Azurite stopped")
                .doesNotContain(AzuriteServer.ACCOUNT_KEY);
    }
}

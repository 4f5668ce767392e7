package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.camelazureml.retrain.azurite.AzuriteServer;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.ServedModel;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: a separate JVM, {@code --once}, against the emulator and Azurite. */
class RetrainJarIT {

    @TempDir
    Path dir;

    private EmulatorLauncher.Running azureMl;

    @AfterEach
    void stop() {
        if (azureMl != null) {
            azureMl.close();
        }
    }

    record Result(int exit, String output) {
    }

    static Result runJar(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("retrain.jar", "target/camel-azureml-retrain.jar")));
        command.addAll(List.of(args));
        Path log = workDir.resolve("jar-output.txt");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not finish in 90 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void onceRetrainsAndDeploysThenExitsZeroWithoutPrintingSecrets() throws Exception {
        azureMl = TestAzureMl.start();
        Map<String, String> properties = TestAzureMl.properties(azureMl, dir.resolve("data"));
        StringBuilder file = new StringBuilder();
        properties.forEach((key, value) -> file.append(key.replace(" ", "\\ ")).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("retrain.properties"), file);

        Result result = runJar(dir, "--once", "--config", "retrain.properties");

        assertThat(result.exit()).as(result.output()).isZero();
        RetrainRun run = new FileRunStore(dir.resolve("data")).list("default").get(0);
        assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.output()).contains("Run " + run.getRunId() + " of pipeline default ended SUCCEEDED");
        ServedModel served = azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow();
        assertThat(served.sha256()).isEqualTo(TestAzureMl.blobSha256(run.getModel().relativeLocation()))
                .isEqualTo(TestAzureMl.sha256(Path.of(run.getModel().archivePath())));
        assertThat(azureMl.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(result.output()).doesNotContain(properties.get("retrain.training.api-key"),
                properties.get("retrain.scoring.api-key"), AzuriteServer.ACCOUNT_KEY, "sig=");
    }

    @Test
    void missingConfigurationExitsTwoAndNamesEveryKey() throws Exception {
        Files.writeString(dir.resolve("application.properties"), "retrain.training.api-key=k\n");

        Result result = runJar(dir, "--once");

        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("Invalid configuration (6 problems); nothing was submitted:",
                "retrain.training.endpoint is missing", "retrain.scoring.trained-model-name is missing");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Result result = runJar(dir, "--onse");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("Unknown option: '--onse'");
    }
}

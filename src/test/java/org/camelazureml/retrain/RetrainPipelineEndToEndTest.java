package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.JobSnapshot;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.ServedModel;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run through the real route file and camel-main, against the emulator and Azurite. */
class RetrainPipelineEndToEndTest {

    @TempDir
    Path dataDir;

    private PipelineHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private RetrainRuntime runtime(Consumer<AzureMlEmulator.Builder> emulatorSetup, Map<String, String> edits) {
        harness = new PipelineHarness(dataDir, emulatorSetup);
        edits.forEach(harness::with);
        return harness.runtime();
    }

    private AzureMlEmulator emulator() {
        return harness.emulator();
    }

    @Test
    void oneRunDeploysTheModelTheJobWroteAndArchived() throws Exception {
        RetrainRuntime runtime = runtime(b -> { }, Map.of());

        int exit = runtime.runOnce("default");

        assertThat(exit).isZero();
        RetrainRun run = new FileRunStore(dataDir).list("default", 1).get(0);
        assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        AzureMlEmulator emulator = emulator();
        assertThat(emulator.submittedJobCount()).isEqualTo(1);
        JobSnapshot job = emulator.jobs().get(0);
        assertThat(job.id()).isEqualTo(run.getJobId());
        assertThat(job.startCount()).isEqualTo(1);
        ServedModel served = emulator.servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow();
        String blobSha = TestAzureMl.blobSha256(run.getModels().get(0).relativeLocation());
        assertThat(served.sha256()).isEqualTo(blobSha)
                .isEqualTo(TestAzureMl.sha256(Path.of(run.getModels().get(0).archivePath())))
                .isEqualTo(run.getModels().get(0).sha256());
        assertThat(run.getModels().get(0).relativeLocation()).isEqualTo("models/" + run.getRunId() + "/model.ilearner");
        assertThat(run.getUpdates().get(0).confirmed()).isTrue();
    }

    @Test
    void aFailedJobDeploysNothingAndTheRunCarriesTheDetails() throws Exception {
        RetrainRuntime runtime = runtime(b -> b.faults("job:failed=Out of memory in Train Model"), Map.of());

        int exit = runtime.runOnce("default");

        assertThat(exit).isEqualTo(1);
        RetrainRun run = runtime.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getError()).contains("failed on the service").contains("Out of memory in Train Model");
        assertThat(new FileRunStore(dataDir).find("default", run.getRunId()).orElseThrow().getError())
                .isEqualTo(run.getError());
        assertThat(emulator().requests()).noneMatch(r -> r.operation() == Operation.UPDATE);
        assertThat(emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }

    @Test
    void aWrongTrainedModelNameFailsTheRunWithTheAzureError() throws Exception {
        RetrainRuntime runtime = runtime(b -> { },
                Map.of("retrain.scoring.trained-model-name", "Census Model [trained model]"));

        int exit = runtime.runOnce("default");

        assertThat(exit).isEqualTo(1);
        RetrainRun run = runtime.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getError()).startsWith("update scoring resource: 1 of 1 endpoints NOT on the new model;"
                + " 'default': update scoring resource failed: HTTP 400 BadArgument")
                .contains("Retrained Model [trained model]").endsWith("On the new model: none");
        assertThat(emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }

    @Test
    void missingConfigurationExitsWithTwoNamingEveryKeyAndSendsNothing() throws Exception {
        harness = new PipelineHarness(dataDir, b -> { });
        Path config = dataDir.resolve("partial.properties");
        Files.writeString(config, "retrain.training.endpoint=" + emulator().trainingJobsUrl() + "\n"
                + "retrain.scoring.api-key=some-key\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = RetrainApplication.run("--once", "--config", config.toString());
        } finally {
            System.setErr(originalErr);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Invalid configuration (5 problems); nothing was submitted:")
                .contains("retrain.training.api-key is missing", "retrain.training.inputs.<port> is missing",
                        "retrain.storage.connection-string is missing",
                        "retrain.scoring.update-resource-endpoint is missing",
                        "retrain.scoring.trained-model-name is missing")
                .doesNotContain("some-key");
        assertThat(emulator().requests()).isEmpty();
    }
}

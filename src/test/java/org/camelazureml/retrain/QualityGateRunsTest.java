package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality gate through the real routes: the emulator really fits a model on the input CSV and writes held-out
 * metrics, so noisier training data gives a worse model. A worse one is rejected, a better one deployed.
 */
class QualityGateRunsTest {

    private static final String R2 = "Coefficient of Determination";

    @TempDir
    Path dataDir;

    private PipelineHarness harness;
    private String input;

    @BeforeEach
    void start() {
        input = "trainingdata/gate-" + UUID.randomUUID() + ".csv";
        harness = new PipelineHarness(dataDir, b -> { })
                .with("retrain.training.inputs.input1", input)
                .with("retrain.gate.metric", R2)
                .with("retrain.gate.metrics-output", EmulatorLauncher.METRICS_PORT)
                .with("retrain.gate.better", "higher")
                .with("retrain.gate.threshold", "0.5")
                .with("retrain.gate.min-improvement", "0.01");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Trains on data with this much noise; the run as it ended. */
    private RetrainRun trainOn(double noise, long seed) throws Exception {
        TestAzureMl.upload(input, EmulatorLauncher.sampleCsv(300, noise, seed));
        harness.runOnce();
        return harness.lastRun();
    }

    private String served() {
        return harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256();
    }

    @Test
    void aWorseModelIsRejectedAndABetterOneDeployed() throws Exception {
        RetrainRun first = trainOn(5, 1);
        assertThat(first.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.getGate().passed()).isTrue();
        assertThat(first.getGate().liveValue()).isNull();
        double firstR2 = first.getMetrics().get(R2);

        RetrainRun worse = trainOn(8, 2);
        assertThat(worse.getStatus()).isEqualTo(RunStatus.REJECTED);
        assertThat(worse.getStep()).isEqualTo(PipelineStep.GATE);
        assertThat(worse.getMetrics().get(R2)).isLessThan(firstR2);
        assertThat(worse.getGate().liveValue()).isEqualTo(firstR2);
        assertThat(worse.getGate().liveRunId()).isEqualTo(first.getRunId());
        assertThat(worse.getError()).startsWith("model rejected by the quality gate: " + R2)
                .contains("improves on the live model's");
        assertThat(worse.getUpdates()).isEmpty();
        assertThat(served()).as("still the first model").isEqualTo(first.getModels().get(0).sha256());
        assertThat(Path.of(worse.getModels().get(0).archivePath())).exists();
        assertThat(Files.readString(Path.of(worse.getModels().get(0).archivePath()).resolveSibling("output2.csv")))
                .startsWith("Mean Absolute Error");

        RetrainRun better = trainOn(1, 3);
        assertThat(better.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(better.getMetrics().get(R2)).isGreaterThan(firstR2 + 0.01);
        assertThat(better.getGate().liveRunId()).as("compared with the first, the live one").isEqualTo(first.getRunId());
        assertThat(served()).isEqualTo(better.getModels().get(0).sha256());
    }

    @Test
    void aModelBelowTheThresholdIsRejectedEvenWithNothingLive() throws Exception {
        RetrainRun noisy = trainOn(40, 4);

        assertThat(noisy.getStatus()).isEqualTo(RunStatus.REJECTED);
        assertThat(noisy.getError()).contains("does not meet the threshold 0.5000");
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }
}

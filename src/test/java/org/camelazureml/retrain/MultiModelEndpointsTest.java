package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.ScoringServiceSpec;
import org.camelazureml.retrain.emulator.TrainingServiceSpec;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One training job with two models, put behind three scoring endpoints, each outcome recorded. */
class MultiModelEndpointsTest {

    private static final String MODEL_A = "Model A [trained model]";
    private static final String MODEL_B = "Model B [trained model]";

    @TempDir
    Path dataDir;

    private PipelineHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    private PipelineHarness harness(Consumer<AzureMlEmulator.Builder> faults) {
        harness = new PipelineHarness(dataDir, b -> {
            b.trainingService(TrainingServiceSpec.builder(EmulatorLauncher.TRAINING_SERVICE).apiKey("test-training-key-0123")
                    .inputPorts("input1").outputPorts("output1", "output2", "output3")
                    .trainedModelPorts("output1", "output3").build());
            b.scoringService(ScoringServiceSpec.builder(EmulatorLauncher.SCORING_SERVICE).resourceNames(MODEL_A, MODEL_B)
                    .endpoint("default", "key-0", true).endpoint("ep1", "key-1", false)
                    .endpoint("ep2", "key-2", false).endpoint("ep3", "key-3", false).build());
            faults.accept(b);
        });
        String url = harness.properties().get("retrain.scoring.update-resource-endpoint");
        harness.properties().keySet().removeIf(key -> key.startsWith("retrain.scoring.")
                || key.equals("retrain.training.model-output"));
        harness.with("retrain.training.outputs.output3", "models/{runId}/model-b.ilearner")
                .with("retrain.training.model-outputs", "output1,output3");
        endpoint("ep1", url, "key-1", MODEL_A, "output1");
        endpoint("ep2", url.replace("/endpoints/ep1", "/endpoints/ep2"), "key-2", MODEL_B, "output3");
        endpoint("ep3", url.replace("/endpoints/ep1", "/endpoints/ep3"), "key-3", MODEL_A, "output1");
        return harness;
    }

    private void endpoint(String name, String url, String key, String resource, String output) {
        String prefix = "retrain.scoring.endpoints." + name + ".";
        harness.with(prefix + "update-resource-endpoint", url).with(prefix + "api-key", key)
                .with(prefix + "trained-model-name", resource).with(prefix + "model-output", output);
    }

    private String served(String endpoint, String resource) {
        return harness.emulator().servedModel(endpoint, resource).map(model -> model.sha256()).orElse(null);
    }

    @Test
    void twoModelsGoBehindThreeEndpoints() throws Exception {
        harness(b -> { });

        assertThat(harness.runOnce()).isZero();

        RetrainRun run = harness.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        String modelA = run.model("output1").sha256();
        String modelB = run.model("output3").sha256();
        assertThat(modelA).isNotEqualTo(modelB).isEqualTo(TestAzureMl.blobSha256(run.model("output1").relativeLocation()));
        assertThat(served("ep1", MODEL_A)).isEqualTo(modelA);
        assertThat(served("ep2", MODEL_B)).isEqualTo(modelB);
        assertThat(served("ep3", MODEL_A)).isEqualTo(modelA);
        assertThat(run.getUpdates()).extracting(RetrainRun.EndpointUpdate::endpoint, RetrainRun.EndpointUpdate::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ep1", UpdateStatus.UPDATED),
                        org.assertj.core.groups.Tuple.tuple("ep2", UpdateStatus.UPDATED),
                        org.assertj.core.groups.Tuple.tuple("ep3", UpdateStatus.UPDATED));
    }

    @Test
    void aPartialFailureSaysWhichEndpointsAreOnTheNewModelAndWhichAreNot() throws Exception {
        harness(b -> b.faults("update@ep2:400x*"));

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getStep()).isEqualTo(PipelineStep.UPDATE);
        assertThat(run.getError()).startsWith("update scoring resource: 1 of 3 endpoints NOT on the new model; 'ep2':"
                + " update scoring resource failed: HTTP 400").endsWith("On the new model: [ep1, ep3]");
        assertThat(served("ep1", MODEL_A)).isEqualTo(run.model("output1").sha256());
        assertThat(served("ep3", MODEL_A)).isEqualTo(run.model("output1").sha256());
        assertThat(served("ep2", MODEL_B)).isNull();
        assertThat(run.update("ep2").status()).isEqualTo(UpdateStatus.FAILED);
        assertThat(run.update("ep3").status()).isEqualTo(UpdateStatus.UPDATED);
    }

    @Test
    void anEndpointWhoseRetriesRunOutIsRecordedAndTheOthersStillGetTheModel() throws Exception {
        harness(b -> b.faults("update@ep1:503x*")).with("retrain.retry.max-attempts", "2");

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.update("ep1").status()).isEqualTo(UpdateStatus.FAILED);
        assertThat(run.update("ep1").error()).contains("HTTP 503");
        assertThat(run.getRetries()).containsEntry(PipelineStep.UPDATE, 2);
        assertThat(served("ep2", MODEL_B)).isEqualTo(run.model("output3").sha256());
        assertThat(served("ep3", MODEL_A)).isEqualTo(run.model("output1").sha256());
    }
}

package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named pipelines: each its own routes from the templates, its own schedule; a bad one is left out by name. */
class MultiPipelineTest {

    @TempDir
    Path dataDir;

    private PipelineHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    private long succeeded(String pipeline) {
        return harness.store().list(pipeline, 100).stream().filter(run -> run.getStatus() == RunStatus.SUCCEEDED)
                .count();
    }

    @Test
    void twoPipelinesRunOnTheirOwnSchedulesAndABadOneIsLeftOut() throws Exception {
        harness = new PipelineHarness(dataDir, b -> { }).withPipeline("alpha").withPipeline("beta")
                .withoutDefaultPipeline()
                .with("retrain.pipelines.alpha.schedule.period", "1s")
                .with("retrain.pipelines.beta.schedule.period", "1h")
                .with("retrain.pipelines.gamma.training.endpoint", "not-a-url");
        RetrainRuntime runtime = harness.runtime();
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
            try {
                return runtime.runScheduled();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("alpha") >= 3 && succeeded("beta") == 1);
        CamelContext camel = runtime.main().getCamelContext();
        assertThat(camel.getRoute("retrain-alpha")).isNotNull();
        assertThat(camel.getRoute("retrain-schedule-beta")).isNotNull();
        assertThat(camel.getRoute("retrain-gamma")).isNull();
        runtime.main().completed();
        assertThat(running.get(30, TimeUnit.SECONDS)).isZero();

        assertThat(succeeded("beta")).as("beta's next tick is an hour away").isEqualTo(1);
        assertThat(harness.store().list("gamma", 10)).isEmpty();
        RetrainRun alpha = harness.lastRun("alpha");
        assertThat(alpha.getOutputs().get("output1")).isEqualTo("models/" + alpha.getRunId() + "/model.ilearner");
        long runs = harness.store().list("alpha", 100).size() + harness.store().list("beta", 100).size();
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(runs);
    }
}

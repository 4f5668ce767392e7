package org.camelazureml.retrain.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.steps.RunStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For testing one step processor at a time against the emulator and Azurite: a started CamelContext with the
 * pipeline installed (no routes), and helpers to make a run and an exchange that carries it.
 */
public abstract class StepTestSupport {

    @TempDir
    protected Path dataDir;

    protected EmulatorLauncher.Running azureMl;
    protected AzureMlEmulator emulator;
    protected CamelContext camel;
    protected PipelineResources resources;

    protected void startPipeline() {
        startPipeline(builder -> { }, properties -> { });
    }

    protected void startPipeline(Consumer<AzureMlEmulator.Builder> emulatorSetup,
            Consumer<Map<String, String>> propertyEdits) {
        azureMl = TestAzureMl.start(emulatorSetup);
        emulator = azureMl.emulator();
        Map<String, String> properties = TestAzureMl.properties(azureMl, dataDir);
        propertyEdits.accept(properties);
        camel = new DefaultCamelContext();
        resources = RetrainPipeline.install(camel, TestAzureMl.config(properties));
        camel.start();
    }

    @AfterEach
    void stopPipeline() {
        if (camel != null) {
            camel.stop();
        }
        if (azureMl != null) {
            azureMl.close();
        }
    }

    protected PipelineConfig pipeline() {
        return resources.pipeline("default");
    }

    protected RetrainRun newRun(String runId) {
        RetrainRun run = new RetrainRun(runId, "default", Instant.now());
        run.setOutputs(pipeline().training().outputsFor("default", runId));
        run.setEndpoints(pipeline().scoring().endpoints().stream().map(e -> e.name()).toList());
        resources.runStore().save(run);
        return run;
    }

    protected Exchange exchangeFor(RetrainRun run) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(RunStep.RUN_PROPERTY, run);
        return exchange;
    }

    /** Submits, starts and polls until the job ends (or the run fails), the way the route does but without delays. */
    protected void runUntilJobEnds(RetrainRun run) throws Exception {
        Exchange exchange = exchangeFor(run);
        new org.camelazureml.retrain.steps.SubmitTrainingJob(resources).process(exchange);
        new org.camelazureml.retrain.steps.StartTrainingJob(resources).process(exchange);
        org.camelazureml.retrain.steps.PollTrainingJob poll = new org.camelazureml.retrain.steps.PollTrainingJob(resources);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> {
                    poll.process(exchange);
                    return !run.isAwaitingTrainingJob();
                });
    }

    protected RetrainRun stored(RetrainRun run) {
        return resources.runStore().find(run.getPipeline(), run.getRunId()).orElseThrow();
    }
}

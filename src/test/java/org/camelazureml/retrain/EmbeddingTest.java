package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding recipe, as a host application would follow it. */
class EmbeddingTest {

    @TempDir
    Path dataDir;

    @Test
    void aHostContextRunsThePipelineFromItsOwnRoute() throws Exception {
        try (EmulatorLauncher.Running azureMl = TestAzureMl.start(); CamelContext camel = new DefaultCamelContext()) {
            Properties hostProperties = new Properties();
            hostProperties.putAll(TestAzureMl.properties(azureMl, dataDir));
            camel.getPropertiesComponent().setInitialProperties(hostProperties);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:host-trigger").to("direct:retrain");
                }
            });

            PipelineResources retrain = RetrainPipeline.install(camel);
            RetrainPipeline.loadRoutes(camel, RetrainRuntime.DEFAULT_ROUTES);
            RetrainPipeline.addPipelineRoutes(camel, retrain.config(), false);
            camel.start();
            RunEvent outcome = camel.createProducerTemplate().requestBody("direct:host-trigger", null, RunEvent.class);

            assertThat(outcome.status()).isEqualTo("SUCCEEDED");
            RetrainRun run = retrain.runStore().find("default", outcome.runId()).orElseThrow();
            assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(outcome.models().get(0).sha256()).isEqualTo(run.getModels().get(0).sha256());
            assertThat(azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                    .isEqualTo(run.getModels().get(0).sha256());
        }
    }
}

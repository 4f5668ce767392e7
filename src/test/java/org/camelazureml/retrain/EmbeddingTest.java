package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding recipe, as a host application would follow it, with the host's own meter registry. */
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

            SimpleMeterRegistry hostMeters = new SimpleMeterRegistry(); // the host's own Micrometer registry
            camel.getRegistry().bind("hostMeters", hostMeters);

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
            assertThat(hostMeters.get("retrain.runs").tags("pipeline", "default", "status", "SUCCEEDED").counter()
                    .count()).as("the pipeline's metrics land in the host's registry").isEqualTo(1.0);
            assertThat(HealthCheckHelper.invoke(camel, "full")).filteredOn(result -> result.getCheck().getGroup()
                    .equals("retrain")).extracting(result -> result.getCheck().getId() + " " + result.getState())
                    .containsExactlyInAnyOrder("retrain-config UP", "retrain-freshness-default UP");
        }
    }
}

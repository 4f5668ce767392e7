package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's embedding recipe, as a host application would follow it: the host's own {@code http} component,
 * property sources, meter registry and context-wide error handler; its routes call {@code direct:retrain} and get
 * the run's outcome (a {@link RunEvent}) back, for a failed run too.
 */
class EmbeddingTest {

    @TempDir
    Path dataDir;

    /** Paths of the requests that went out through the host's own camel-http client. */
    private final List<String> hostRequests = new CopyOnWriteArrayList<>();

    @Test
    void aHostContextRunsThePipelinesFromItsOwnRouteWithItsOwnComponentsAndProperties() throws Exception {
        try (EmulatorLauncher.Running azureMl = TestAzureMl.start(); CamelContext camel = new DefaultCamelContext()) {
            Map<String, String> settings = TestAzureMl.properties(azureMl, dataDir);
            Properties hostProperties = new Properties();
            hostProperties.putAll(settings);
            camel.getPropertiesComponent().setInitialProperties(hostProperties);
            // a second pipeline's settings in a properties file of the host's
            Path hostFile = dataDir.resolve("host.properties");
            Properties churn = new Properties();
            churn.putAll(PipelineHarness.namedPipeline(settings, "churn"));
            try (var out = Files.newBufferedWriter(hostFile)) {
                churn.store(out, null);
            }
            camel.getPropertiesComponent().setLocation("file:" + hostFile);
            HttpComponent hostHttp = hostHttpComponent(camel);
            SimpleMeterRegistry hostMeters = new SimpleMeterRegistry(); // the host's own Micrometer registry
            camel.getRegistry().bind("hostMeters", hostMeters);
            MockEndpoint hostDeadLetters = hostRoutes(camel);

            PipelineResources retrain = RetrainPipeline.install(camel);
            RetrainPipeline.loadRoutes(camel, RetrainRuntime.DEFAULT_ROUTES);
            RetrainPipeline.addPipelineRoutes(camel, retrain.config(), false);
            camel.start();
            RunEvent outcome = camel.createProducerTemplate().requestBody("direct:host-trigger", null, RunEvent.class);
            RunEvent churnOutcome = camel.createProducerTemplate().requestBodyAndHeader("direct:host-trigger", null,
                    CreateRun.PIPELINE, "churn", RunEvent.class);

            assertThat(outcome.status()).isEqualTo("SUCCEEDED");
            assertThat(outcome.pipeline()).isEqualTo("default");
            RetrainRun run = retrain.runStore().find("default", outcome.runId()).orElseThrow();
            assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(outcome.jobId()).isNotBlank().isEqualTo(run.getJobId());
            assertThat(outcome.models()).singleElement().satisfies(model -> assertThat(model.sha256())
                    .isEqualTo(run.getModels().get(0).sha256()));
            assertThat(outcome.endpointsUpdated()).containsExactly("default");
            assertThat(churnOutcome.status()).isEqualTo("SUCCEEDED");
            assertThat(churnOutcome.pipeline()).isEqualTo("churn");
            assertThat(retrain.runStore().find("churn", churnOutcome.runId())).isPresent();
            assertThat(churnOutcome.jobId()).isNotEqualTo(outcome.jobId());
            assertThat(azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                    .isEqualTo(churnOutcome.models().get(0).sha256());

            assertThat(camel.getComponent("http")).as("the host's component, not a replacement").isSameAs(hostHttp);
            assertThat(hostHttp.isAutomaticRetriesDisabled()).as("the host's component is left as it was").isFalse();
            assertThat(hostHttp.getConnectionsPerRoute()).isEqualTo(7);
            assertThat(hostRequests).as("every call to Azure ML went through the host's http client")
                    .isNotEmpty().hasSameSizeAs(azureMl.emulator().requests());
            hostDeadLetters.assertIsSatisfied();
            assertThat(hostMeters.get("retrain.runs").tags("pipeline", "default", "status", "SUCCEEDED").counter()
                    .count()).as("the pipeline's metrics land in the host's registry").isEqualTo(1.0);
            assertThat(HealthCheckHelper.invoke(camel, "full")).filteredOn(result -> result.getCheck().getGroup()
                    .equals("retrain")).extracting(result -> result.getCheck().getId() + " " + result.getState())
                    .containsExactlyInAnyOrder("retrain-config UP", "retrain-freshness-default UP",
                            "retrain-freshness-churn UP");
        }
    }

    @Test
    void aFailedRunIsTheReplyNotAnExceptionAndTheHostErrorHandlerStaysOutOfIt() throws Exception {
        try (EmulatorLauncher.Running azureMl = TestAzureMl.start(); CamelContext camel = new DefaultCamelContext()) {
            Properties hostProperties = new Properties();
            hostProperties.putAll(TestAzureMl.properties(azureMl, dataDir));
            camel.getPropertiesComponent().setInitialProperties(hostProperties);
            hostHttpComponent(camel);
            MockEndpoint hostDeadLetters = hostRoutes(camel);
            PipelineResources retrain = RetrainPipeline.install(camel);
            RetrainPipeline.loadRoutes(camel, RetrainRuntime.DEFAULT_ROUTES);
            RetrainPipeline.addPipelineRoutes(camel, retrain.config(), false);
            camel.start();
            azureMl.emulator().faults().add("job:failed=Out of memory in Train Model");

            Exchange failed = camel.createProducerTemplate().request("direct:host-trigger", exchange -> { });
            Exchange unknown = camel.createProducerTemplate().request("direct:host-trigger",
                    exchange -> exchange.getMessage().setHeader(CreateRun.PIPELINE, "no-such-pipeline"));

            assertThat(failed.getException()).isNull();
            assertThat(failed.getMessage().getHeader("retrainStatus")).isEqualTo("FAILED");
            RunEvent outcome = failed.getMessage().getBody(RunEvent.class);
            assertThat(outcome.status()).isEqualTo("FAILED");
            assertThat(outcome.failedStep()).isEqualTo("POLL");
            assertThat(outcome.error()).contains("Out of memory in Train Model");
            assertThat(outcome.runId()).isNotBlank();
            assertThat(outcome.endpointsUpdated()).isEmpty();
            assertThat(retrain.runStore().find("default", outcome.runId()).orElseThrow().getStatus())
                    .isEqualTo(RunStatus.FAILED);
            assertThat(unknown.getException()).isNull();
            RunEvent notStarted = unknown.getMessage().getBody(RunEvent.class);
            assertThat(notStarted.status()).isEqualTo("FAILED");
            assertThat(notStarted.runId()).isNull();
            assertThat(notStarted.error()).contains("no-such-pipeline");
            hostDeadLetters.assertIsSatisfied();
            assertThat(azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
        }
    }

    /** The host's own camel-http component, with its own client configuration (a request log, a pool size). */
    private HttpComponent hostHttpComponent(CamelContext camel) {
        HttpComponent http = new HttpComponent();
        http.setConnectionsPerRoute(7);
        http.setHttpClientConfigurer(builder -> builder.addRequestInterceptorFirst(
                (request, entity, context) -> hostRequests.add(request.getPath())));
        camel.addComponent("http", http);
        return http;
    }

    /** The host's route that triggers runs, and a context-wide dead letter channel that must see nothing. */
    private static MockEndpoint hostRoutes(CamelContext camel) throws Exception {
        camel.getCamelContextExtension().setErrorHandlerFactory(new DeadLetterChannelBuilder("mock:host-dead"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:host-trigger").to("direct:retrain");
            }
        });
        MockEndpoint deadLetters = camel.getEndpoint("mock:host-dead", MockEndpoint.class);
        deadLetters.expectedMessageCount(0);
        return deadLetters;
    }
}

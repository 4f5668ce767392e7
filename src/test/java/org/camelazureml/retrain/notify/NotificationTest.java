package org.camelazureml.retrain.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notification for each outcome, at a mock endpoint and at a real RabbitMQ queue (through RabbitMQ's JMS client),
 * each valid against the documented schema; and a failing notification endpoint that is retried, logged, and never
 * changes an outcome or holds up the next run.
 */
class NotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(NotificationTest.class.getResourceAsStream("/run-event.schema.json"));

    @TempDir
    Path dataDir;

    private PipelineHarness harness;
    private CamelContext camel;
    private PipelineResources resources;
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final String queue = "retrain-events-" + UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        harness = new PipelineHarness(dataDir, b -> b.jobDuration(Duration.ofMillis(300)))
                .withPipeline("gated").withPipeline("quick")
                .with("retrain.pipelines.gated.training.outputs.output2", "models/{runId}/evaluation.csv")
                .with("retrain.pipelines.gated.gate.metrics-output", "output2")
                .with("retrain.pipelines.gated.gate.metric", "Coefficient of Determination")
                .with("retrain.pipelines.gated.gate.better", "higher")
                .with("retrain.pipelines.gated.gate.threshold", "1.01")
                .with("retrain.pipelines.quick.job.timeout", "1s")
                .with("retrain.notify.endpoints", "mock:events,direct:flaky,direct:broken,"
                        + "jms:queue:" + queue + "?connectionFactory=#rabbit")
                .with("retrain.notify.max-attempts", "3");
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(harness.properties());
        camel.getPropertiesComponent().setInitialProperties(properties);
        RMQConnectionFactory rabbit = new RMQConnectionFactory();
        rabbit.setUri("amqp://guest:guest@127.0.0.1:5672/%2F");
        camel.getRegistry().bind("rabbit", rabbit);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flaky").routeId("flaky").process(exchange -> {
                    if (flakyCalls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("the ESB is busy");
                    }
                }).to("mock:flaky");
                from("direct:broken").routeId("broken").throwException(new IllegalStateException("the ESB is down"));
            }
        });
        resources = RetrainPipeline.install(camel);
        RetrainPipeline.loadRoutes(camel, RetrainRuntime.DEFAULT_ROUTES);
        RetrainPipeline.addPipelineRoutes(camel, resources.config(), false);
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        resources.close();
        harness.close();
    }

    private RunEvent trigger(String pipeline) {
        return camel.createProducerTemplate().request("direct:retrain",
                exchange -> exchange.setProperty(CreateRun.PIPELINE, pipeline)).getMessage().getBody(RunEvent.class);
    }

    @Test
    void everyOutcomeIsNotifiedToTheMockAndToRabbitMqInTheDocumentedSchema() throws Exception {
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);

        RunEvent succeeded = trigger("default");
        harness.emulator().faults().add("job:failed=Out of memory in Train Model");
        RunEvent failed = trigger("default");
        harness.emulator().faults().add("job:stuck=Running");
        RunEvent cancelled = trigger("quick");
        RunEvent rejected = trigger("gated");
        harness.emulator().faults().add("job:stuck=Running");
        CompletableFuture<RunEvent> stuck = CompletableFuture.supplyAsync(() -> trigger("quick"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.store().unfinished("quick").isPresent());
        RunEvent skipped = trigger("quick");
        stuck.get(30, TimeUnit.SECONDS);

        assertThat(List.of(succeeded, failed, cancelled, rejected, skipped)).extracting(RunEvent::status)
                .containsExactly("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED", "SKIPPED");
        assertThat(succeeded.endpointsUpdated()).containsExactly("default");
        assertThat(succeeded.models().get(0).sha256()).hasSize(64);
        assertThat(succeeded.timings().stepSeconds()).containsKeys("SUBMIT", "START", "POLL", "FETCH", "UPDATE");
        assertThat(failed.failedStep()).isEqualTo("POLL");
        assertThat(failed.error()).contains("Out of memory in Train Model");
        assertThat(cancelled.error()).contains("the remote job was cancelled");
        assertThat(rejected.failedStep()).isEqualTo("GATE");
        assertThat(rejected.gate().passed()).isFalse();
        assertThat(skipped.inFlightRunId()).isNotNull();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events.getReceivedCounter() >= 6);
        List<JsonNode> mocked = new ArrayList<>();
        for (Exchange exchange : events.getReceivedExchanges()) {
            mocked.add(valid(exchange.getMessage().getBody(String.class)));
        }
        assertThat(mocked).extracting(node -> node.get("status").asText())
                .contains("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED", "SKIPPED");
        assertThat(events.getReceivedExchanges().get(0).getMessage().getHeader(DescribeOutcome.STATUS))
                .isEqualTo("SUCCEEDED");

        List<JsonNode> queued = receiveFromRabbit(mocked.size());
        assertThat(queued).extracting(node -> node.get("status").asText())
                .containsExactlyInAnyOrderElementsOf(mocked.stream().map(node -> node.get("status").asText()).toList());
        assertThat(queued).extracting(node -> node.path("runId").asText())
                .contains(succeeded.runId(), failed.runId(), cancelled.runId(), rejected.runId());
    }

    @Test
    void aFailingNotificationEndpointIsRetriedLoggedAndChangesNothing() throws Exception {
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);
        MockEndpoint flaky = camel.getEndpoint("mock:flaky", MockEndpoint.class);

        RunEvent first = trigger("default");
        RunEvent second = trigger("default");

        assertThat(first.status()).isEqualTo("SUCCEEDED");
        assertThat(second.status()).as("the next run is not held up").isEqualTo("SUCCEEDED");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events.getReceivedCounter() == 2
                && flaky.getReceivedCounter() == 2);
        assertThat(flakyCalls.get()).as("two failures, then each event got through").isEqualTo(4);
        assertThat(harness.store().find("default", first.runId()).orElseThrow().getStatus().name())
                .isEqualTo("SUCCEEDED");
    }

    private static JsonNode valid(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        Set<ValidationMessage> problems = SCHEMA.validate(node);
        assertThat(problems).as(json).isEmpty();
        return node;
    }

    private List<JsonNode> receiveFromRabbit(int expected) throws Exception {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672/%2F");
        List<JsonNode> received = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (received.size() < expected) {
                TextMessage message = (TextMessage) consumer.receive(Duration.ofSeconds(10).toMillis());
                if (message == null) {
                    break;
                }
                received.add(valid(message.getText()));
            }
        }
        return received;
    }

}

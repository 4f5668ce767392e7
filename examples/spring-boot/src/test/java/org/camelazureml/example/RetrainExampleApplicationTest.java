package org.camelazureml.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.notify.RunEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example application against the project's Azure ML emulator and Azurite: one run through direct:retrain. */
@SpringBootTest(properties = {"retrain-example.scheduled=false", "camel.main.run-controller=false"})
@DirtiesContext
class RetrainExampleApplicationTest {

    @TempDir
    static Path dataDir;

    private static EmulatorLauncher.Running azureMl;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void azureMl(DynamicPropertyRegistry registry) {
        azureMl = EmulatorLauncher.start(EmulatorLauncher.Options.builder().startAzurite(true)
                .jobDuration(Duration.ofMillis(300)).queueTime(Duration.ZERO)
                .trainingApiKey("example-training-key-0123").scoringApiKey("example-scoring-key-4567").build());
        azureMl.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("retrain.poll.interval", () -> "100");
        registry.add("retrain.data.dir", () -> dataDir.toString());
        registry.add("retrain.archive.dir", () -> dataDir.resolve("models").toString());
    }

    @AfterAll
    static void stopAzureMl() {
        azureMl.close();
    }

    @Test
    void aRunThroughDirectRetrainPutsTheNewModelOnTheEndpoint() {
        RunEvent outcome = producer.requestBody("direct:retrain", null, RunEvent.class);

        assertThat(outcome.status()).as(outcome.summary()).isEqualTo("SUCCEEDED");
        assertThat(outcome.runId()).isNotBlank();
        assertThat(outcome.jobId()).isNotBlank();
        assertThat(outcome.endpointsUpdated()).containsExactly("default");
        assertThat(azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                .isEqualTo(outcome.models().get(0).sha256());
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        assertThat(http.getResponseTimeout()).as("Boot's camel.component.http.* applies").isEqualTo(120000);
        assertThat(http.isAutomaticRetriesDisabled()).as("the pipeline leaves Boot's component as it was").isFalse();
    }
}

package org.camelazureml.retrain.azureml;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.config.Secret;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.emulator.ScoringServiceSpec;
import org.camelazureml.retrain.emulator.TrainingServiceSpec;
import org.camelazureml.retrain.state.RunJson;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up builds what the first calls use, and those calls then work as without it; the calls of every
 * service on one host go through one camel-http endpoint.
 */
class AzureMlClientWarmUpTest {

    @Test
    void aPreparedEndpointIsTheOneTheCallsUse() throws Exception {
        try (AzureMlEmulator emulator = emulatorWithOneEndpoint();
             DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);
            ServiceTarget scoring = scoringEndpoint(emulator);

            CompletableFuture.runAsync(() -> client.prepare(scoring)).get(30, TimeUnit.SECONDS);
            assertThat(camel.getEndpoints()).hasSize(1).first().isInstanceOf(HttpEndpoint.class);

            assertThat(client.describeEndpoint(scoring)).isPresent();
            assertThat(camel.getEndpoints()).as("the call reused the prepared endpoint").hasSize(1);
        }
    }

    /** An emulator with a training service and one scoring endpoint, {@code ep1}. */
    static AzureMlEmulator emulatorWithOneEndpoint() {
        return AzureMlEmulator.builder().workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").endpoint("ep1", "key1", true).build())
                .start();
    }

    static ServiceTarget scoringEndpoint(AzureMlEmulator emulator) {
        return new ServiceTarget(URI.create(emulator.updateResourceUrl("ep1")), null,
                Secret.of(emulator.endpointKey("ep1")));
    }

    @Test
    void servicesOnOneHostShareOneEndpointAndEachCallReachesItsOwnUrl() throws Exception {
        try (AzureMlEmulator emulator = AzureMlEmulator.builder().workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").endpoint("ep1", "key1", true)
                        .endpoint("ep2", "key2", false).build())
                .start();
             DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);
            for (String endpoint : new String[] {"ep1", "ep2"}) {
                ServiceTarget scoring = new ServiceTarget(URI.create(emulator.updateResourceUrl(endpoint)), null,
                        Secret.of(emulator.endpointKey(endpoint)));
                assertThat(client.describeEndpoint(scoring)).as(endpoint).isPresent();
            }

            assertThat(camel.getEndpoints()).hasSize(1).first().isInstanceOf(HttpEndpoint.class);
            assertThat(emulator.requests()).extracting(RecordedRequest::path).containsExactly(
                    URI.create(emulator.updateResourceUrl("ep1")).getRawPath(),
                    URI.create(emulator.updateResourceUrl("ep2")).getRawPath());
            assertThat(emulator.requests()).extracting(RecordedRequest::status).containsOnly(200);
        }
    }

    @Test
    void theEndpointIsChosenBySchemeHostAndPortOnly() {
        assertThat(AzureMlClient.host(URI.create("https://user:secret@example.net:8443/workspaces/w/services/s/jobs")))
                .isEqualTo(URI.create("https://example.net:8443/"));
        assertThat(AzureMlClient.host(URI.create("http://127.0.0.1:5000/a/b")))
                .isEqualTo(URI.create("http://127.0.0.1:5000/"));
    }

    @Test
    void theJsonWarmUpsRoundTripTheirSamples() throws Exception {
        AzureMlClient.warmUpJson();
        RunJson.warmUp();
    }
}

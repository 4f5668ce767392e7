package org.camelazureml.retrain.azureml;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.config.Secret;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.ScoringServiceSpec;
import org.camelazureml.retrain.emulator.TrainingServiceSpec;
import org.camelazureml.retrain.state.RunJson;
import org.junit.jupiter.api.Test;

/** The start-up warm-up builds what the first calls use, and those calls then work as without it. */
class AzureMlClientWarmUpTest {

    @Test
    void aPreparedEndpointIsTheOneTheCallsUse() throws Exception {
        try (AzureMlEmulator emulator = AzureMlEmulator.builder().workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").endpoint("ep1", "key1", true).build())
                .start();
             DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            AzureMlClient client = new AzureMlClient(camel);
            ServiceTarget scoring = new ServiceTarget(URI.create(emulator.updateResourceUrl("ep1")), null,
                    Secret.of(emulator.endpointKey("ep1")));

            CompletableFuture.runAsync(() -> client.prepare(scoring)).get(30, TimeUnit.SECONDS);
            assertThat(camel.getEndpoints()).hasSize(1).first().isInstanceOf(HttpEndpoint.class);

            assertThat(client.describeEndpoint(scoring)).isPresent();
            assertThat(camel.getEndpoints()).as("the call reused the prepared endpoint").hasSize(1);
        }
    }

    @Test
    void theJsonWarmUpsRoundTripTheirSamples() throws Exception {
        AzureMlClient.warmUpJson();
        RunJson.warmUp();
    }
}

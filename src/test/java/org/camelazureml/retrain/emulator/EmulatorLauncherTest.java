package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The standalone mode: what a person gets when they start the emulator to try the routes offline. */
class EmulatorLauncherTest {

    @Test
    void printsTheRetrainPropertiesAndTheyWork() {
        EmulatorLauncher.Options options = EmulatorLauncher.Options.builder().startAzurite(true)
                .trainingApiKey("my-training-key").jobDuration(Duration.ofMillis(200)).queueTime(Duration.ZERO)
                .faultSpec("submit:503").trainedModelName("Census Model [trained model]").build();
        try (EmulatorLauncher.Running running = EmulatorLauncher.start(options)) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            running.printTo(new PrintStream(printed, true, StandardCharsets.UTF_8));
            String text = printed.toString(StandardCharsets.UTF_8);
            Map<String, String> properties = running.properties();
            AzureMlEmulator emulator = running.emulator();

            assertThat(properties).containsEntry("retrain.training.endpoint", emulator.trainingJobsUrl())
                    .containsEntry("retrain.training.api-key", "my-training-key")
                    .containsEntry("retrain.scoring.update-resource-endpoint", emulator.updateResourceUrl("ep1"))
                    .containsEntry("retrain.scoring.api-key", emulator.endpointKey("ep1"))
                    .containsEntry("retrain.scoring.trained-model-name", "Census Model [trained model]")
                    .containsEntry("retrain.storage.connection-string", running.azurite().orElseThrow().connectionString());
            assertThat(emulator.endpointKey("ep1")).hasSizeGreaterThan(40);
            properties.forEach((key, value) -> assertThat(text).contains(key + "=" + value + System.lineSeparator()));
            assertThat(text).contains("# injected faults: submit:503x1");

            // the printed values are enough to run a job on the sample data
            ObjectNode body = Json.object();
            String connectionString = properties.get("retrain.storage.connection-string");
            body.putObject("Inputs").putObject("input1").put("ConnectionString", connectionString)
                    .put("RelativeLocation", EmulatorLauncher.SAMPLE_CONTAINER + "/" + EmulatorLauncher.SAMPLE_BLOB);
            ObjectNode outputs = body.putObject("Outputs");
            outputs.putObject("output1").put("ConnectionString", connectionString).put("RelativeLocation", "models/m.ilearner");
            outputs.putObject("output2").put("ConnectionString", connectionString).put("RelativeLocation", "models/e.csv");
            String url = properties.get("retrain.training.endpoint") + "?api-version=2.0";
            assertThat(EmulatorHttp.send("POST", url, "my-training-key", body.toString()).statusCode()).isEqualTo(503);
            JsonNode status = new EmulatorHttp(emulator).runToEnd(body);
            assertThat(status.get("StatusCode").asText()).as(status.toString()).isEqualTo("Finished");
        }
    }

    @Test
    void theFaultSpecTakesEveryRule() {
        String spec = "submit:late=1500,start:lostx2,update:drop,status:slow=10,model:padded=1073741824";

        assertThat(EmulatorLauncher.Options.builder().faultSpec(spec).build().faultSpec()).isEqualTo(spec);
    }

    @Test
    void aBadFaultSpecFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> EmulatorLauncher.Options.builder().faultSpec("submit:ok").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'submit:ok'");
    }

    @Test
    void keysAreRandomUnlessGiven() {
        try (EmulatorLauncher.Running first = EmulatorLauncher.start(EmulatorLauncher.Options.builder().build());
             EmulatorLauncher.Running second = EmulatorLauncher.start(EmulatorLauncher.Options.builder().build())) {
            assertThat(first.properties().get("retrain.training.api-key"))
                    .isNotEqualTo(second.properties().get("retrain.training.api-key"));
            assertThat(first.properties()).doesNotContainKey("retrain.storage.connection-string");
            assertThat(first.azurite()).isEmpty();
        }
    }
}

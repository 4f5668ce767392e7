package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailCode;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailMessage;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;
import static org.camelazureml.retrain.emulator.EmulatorHttp.updateBody;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several models and several endpoints: a training service with two trained model outputs, a scoring service with
 * two updatable resources and two updatable endpoints, and faults limited to one endpoint.
 */
class MultiModelTest extends EmulatorTestSupport {

    static final String MODEL_A = "Model A [trained model]";
    static final String MODEL_B = "Model B [trained model]";
    /** y = 2a - 3b + 1 at a=1, b=2 is -3. */
    static final List<Map<String, Object>> ROWS = List.of(Map.of("a", 1.0, "b", 2.0));

    static AzureMlEmulator emulator;
    static EmulatorHttp http;

    @BeforeAll
    static void startEmulator() {
        emulator = AzureMlEmulator.builder()
                .workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key")
                        .outputPorts("output1", "output2", "output3").trainedModelPorts("output1", "output3").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").resourceNames(MODEL_A, MODEL_B)
                        .endpoint("default", "key0", true).endpoint("ep1", "key1", false).endpoint("ep2", "key2", false)
                        .build())
                .jobDuration(Duration.ofMillis(100))
                .start();
        http = new EmulatorHttp(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    /** input1; output1 and output3 models, output2 metrics. */
    static ObjectNode twoModelJob(String run) {
        ObjectNode body = jobBody(uploadData(linearCsv(60, 0.1, 41)), run);
        ((ObjectNode) body.get("Outputs")).set("output3",
                connectionStringReference(MODEL_CONTAINER + "/" + run + "/model-b.ilearner"));
        return body;
    }

    static JsonNode finishedTwoModelJob() {
        JsonNode status = http.runToEnd(twoModelJob(uniqueRun()));
        assertThat(status.get("StatusCode").asText()).as(status.toString()).isEqualTo("Finished");
        return status;
    }

    static byte[] result(JsonNode status, String port) {
        HttpResponse<byte[]> download = EmulatorHttp.downloadResult(status.at("/Results/" + port));
        assertThat(download.statusCode()).as(port).isEqualTo(200);
        return download.body();
    }

    @Test
    void aJobWithTwoModelPortsWritesTwoDifferentModelsThatEachServe() {
        JsonNode status = finishedTwoModelJob();
        byte[] modelA = result(status, "output1");
        byte[] modelB = result(status, "output3");

        assertThat(sha256(modelB)).isNotEqualTo(sha256(modelA));
        assertThat(new String(modelA, StandardCharsets.UTF_8)).contains("\"outputPort\":\"output1\"");
        assertThat(new String(modelB, StandardCharsets.UTF_8)).contains("\"outputPort\":\"output3\"");
        assertThat(new String(result(status, "output2"), StandardCharsets.UTF_8)).startsWith("Mean Absolute Error,");

        HttpResponse<String> patchA = http.patch("ep1", "key1", updateBody(MODEL_A, status.at("/Results/output1")));
        HttpResponse<String> patchB = http.patch("ep1", "key1", updateBody(MODEL_B, status.at("/Results/output3")));
        // the second model behind the first resource of another endpoint, so that Request-Response scores with it
        HttpResponse<String> patchBFirst = http.patch("ep2", "key2", updateBody(MODEL_A, status.at("/Results/output3")));

        assertThat(patchA.statusCode()).as(patchA.body()).isEqualTo(200);
        assertThat(patchB.statusCode()).as(patchB.body()).isEqualTo(200);
        assertThat(patchBFirst.statusCode()).as(patchBFirst.body()).isEqualTo(200);
        assertThat(emulator.servedModel("ep1", MODEL_A).orElseThrow().sha256()).isEqualTo(sha256(modelA));
        assertThat(emulator.servedModel("ep1", MODEL_B).orElseThrow().sha256()).isEqualTo(sha256(modelB));
        assertThat(emulator.servedModel("ep2", MODEL_A).orElseThrow().sha256()).isEqualTo(sha256(modelB));
        JsonNode described = json(http.getEndpoint("ep1", "key1"));
        assertThat(described.at("/Resources/1/Name").asText()).isEqualTo(MODEL_B);
        assertThat(described.at("/Resources/1/Location/RelativeLocation").asText())
                .isEqualTo(status.at("/Results/output3/RelativeLocation").asText());
        for (String endpoint : List.of("ep1", "ep2")) {
            HttpResponse<String> scored = http.execute(endpoint, ROWS);
            assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
            assertThat(json(scored).at("/Results/output1/0/Scored Labels").asDouble()).as(endpoint)
                    .isCloseTo(-3.0, within(0.1));
        }
    }

    @Test
    void everyModelPortNeedsAnIlearner() {
        ObjectNode body = twoModelJob(uniqueRun());
        ((ObjectNode) body.get("Outputs")).set("output3", connectionStringReference(MODEL_CONTAINER + "/x/model-b.csv"));

        HttpResponse<String> response = http.submit(body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("InvalidBlobExtension");
        assertThat(detailMessage(response)).contains("'output3'", ".ilearner");
    }

    @Test
    void aOneShotModelFaultHitsTheFirstModelWritten() {
        Fault missing = emulator.faults().omitModel(1);

        JsonNode status = finishedTwoModelJob();

        assertThat(EmulatorHttp.downloadResult(status.at("/Results/output1")).statusCode()).isEqualTo(404);
        assertThat(LinearModel.parse(result(status, "output3")).features()).containsExactly("a", "b");
        assertThat(missing.firedCount()).isEqualTo(1);
    }

    @Test
    void anEndpointScopedStatusFailsOnlyThatEndpointsUpdate() {
        JsonNode status = finishedTwoModelJob();
        ObjectNode update = updateBody(MODEL_B, status.at("/Results/output3"));
        Fault fault = emulator.faults().forEndpoint("ep2").respondWithStatus(Operation.UPDATE, 503, Fault.ALWAYS);

        HttpResponse<String> refused = http.patch("ep2", "key2", update);
        HttpResponse<String> accepted = http.patch("ep1", "key1", update);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(detailCode(refused)).isEqualTo("RequestThrottled");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(emulator.servedModel("ep1", MODEL_B).orElseThrow().relativeLocation())
                .isEqualTo(status.at("/Results/output3/RelativeLocation").asText());
        assertThat(emulator.servedModel("ep2", MODEL_B)).isEmpty();
        assertThat(fault.firedCount()).isEqualTo(1);
        assertThat(http.patch("ep2", "key2", update).statusCode()).as("still failing").isEqualTo(503);
    }

    @Test
    void endpointScopedTextFaultsTakeTheEndpointFromEitherPath() {
        emulator.faults().add("get-endpoint@ep2:404x*,execute@ep2:500x*");

        assertThat(http.getEndpoint("ep1", "key1").statusCode()).isEqualTo(200);
        assertThat(http.getEndpoint("ep2", "key2").statusCode()).isEqualTo(404);
        assertThat(http.execute("ep1", ROWS).statusCode()).isEqualTo(200);
        assertThat(http.execute("ep2", ROWS).statusCode()).isEqualTo(500);
        assertThat(emulator.faults().firedCount(Operation.GET_ENDPOINT)).isEqualTo(1);
        assertThat(emulator.faults().firedCount(Operation.EXECUTE)).isEqualTo(1);
    }

    @Test
    void anUnscopedFaultStillMatchesEveryEndpoint() {
        emulator.faults().respondWithStatus(Operation.GET_ENDPOINT, 500, 2);

        assertThat(http.getEndpoint("ep1", "key1").statusCode()).isEqualTo(500);
        assertThat(http.getEndpoint("ep2", "key2").statusCode()).isEqualTo(500);
        assertThat(http.getEndpoint("ep2", "key2").statusCode()).isEqualTo(200);
    }

    @Test
    void theSpecNamesItsModelPortsAndRefusesBadOnes() {
        TrainingServiceSpec spec = TrainingServiceSpec.builder("t").outputPorts("m1", "metrics", "m2")
                .trainedModelPorts("m2", "m1").build();

        assertThat(spec.trainedModelPorts()).containsExactly("m2", "m1");
        assertThat(spec.trainedModelPort()).isEqualTo("m2");
        assertThat(spec.isTrainedModelPort("m1")).isTrue();
        assertThat(spec.isTrainedModelPort("metrics")).isFalse();
        assertThat(TrainingServiceSpec.builder("t").outputPorts("a", "b").trainedModelPort("b").build().trainedModelPorts())
                .containsExactly("b");
        assertThat(TrainingServiceSpec.builder("t").build().trainedModelPorts()).containsExactly("output1");
        assertThatThrownBy(() -> TrainingServiceSpec.builder("t").trainedModelPorts("output1", "output9").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'output9'");
        assertThatThrownBy(() -> TrainingServiceSpec.builder("t").trainedModelPorts("output1", "output1").build())
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> TrainingServiceSpec.builder("t").trainedModelPorts().build())
                .hasMessageContaining("at least one trained model port");
    }
}

package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailCode;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailMessage;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;
import static org.camelazureml.retrain.emulator.EmulatorHttp.send;
import static org.camelazureml.retrain.emulator.EmulatorHttp.updateBody;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scoring web service: UpdateResource PATCH, endpoint GET, Request-Response scoring. */
class ScoringServiceTest extends EmulatorTestSupport {

    static final String RESOURCE = "Census Model [trained model]";

    static AzureMlEmulator emulator;
    static EmulatorHttp http;

    @BeforeAll
    static void startEmulator() {
        emulator = AzureMlEmulator.builder()
                .workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").resourceNames(RESOURCE)
                        .endpoint("default", "key0", true).endpoint("ep1", "key1", false).endpoint("ep2", "key2", false)
                        .endpoint("rollback", "key3", false)
                        .build())
                .jobDuration(Duration.ofMillis(200))
                .start();
        http = new EmulatorHttp(emulator);
        trainModels();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** Model blobs trained by the emulator, by data seed; trained concurrently once for the class. */
    static final Map<Long, String> MODELS = new ConcurrentHashMap<>();

    private static void trainModels() {
        Map<Long, String> jobs = new HashMap<>();
        for (long seed = 21; seed <= 33; seed++) {
            String run = uniqueRun();
            String id = http.submitOk(jobBody(uploadData(linearCsv(80, 0.1, seed)), run));
            assertThat(http.start(id).statusCode()).isEqualTo(200);
            jobs.put(seed, id);
            MODELS.put(seed, run + "/model.ilearner");
        }
        jobs.values().forEach(id -> assertThat(http.awaitEnd(id).get("StatusCode").asText()).isEqualTo("Finished"));
    }

    /** The model trained from data with this seed: y = 2a - 3b + 1 plus a little noise. */
    static String trainModel(long seed) {
        return MODELS.get(seed);
    }

    /** A fresh read-only blob SAS, as the product makes one for the PATCH. */
    static String freshSas(String container, String blob, Duration validity) {
        BlobClient client = blobs.getBlobContainerClient(container).getBlobClient(blob);
        return "?" + client.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(validity),
                new BlobSasPermission().setReadPermission(true)));
    }

    static ObjectNode updateFor(String modelBlob) {
        return updateBody(RESOURCE, azurite.blobEndpoint() + "/", MODEL_CONTAINER + "/" + modelBlob,
                freshSas(MODEL_CONTAINER, modelBlob, Duration.ofMinutes(10)));
    }

    @Test
    void patchPutsTheModelBehindTheEndpointAndRecordsItsSha256() throws Exception {
        String modelBlob = trainModel(21);

        HttpResponse<String> response = http.patch("ep1", "key1", updateFor(modelBlob));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        byte[] blob = download(MODEL_CONTAINER + "/" + modelBlob);
        ServedModel served = emulator.servedModel("ep1").orElseThrow();
        assertThat(served.sha256()).isEqualTo(sha256(blob));
        assertThat(served.size()).isEqualTo(blob.length);
        assertThat(served.resourceName()).isEqualTo(RESOURCE);
        assertThat(served.baseLocation()).isEqualTo(azurite.blobEndpoint() + "/");
        assertThat(served.relativeLocation()).isEqualTo(MODEL_CONTAINER + "/" + modelBlob);
        assertThat(emulator.servedModel("default")).isEmpty();
    }

    @Test
    void getDescribesTheEndpointWithoutTheSas() {
        String modelBlob = trainModel(22);
        assertThat(http.patch("ep2", "key2", updateFor(modelBlob)).statusCode()).isEqualTo(200);

        HttpResponse<String> response = http.getEndpoint("ep2", "key2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("Name").asText()).isEqualTo("ep2");
        JsonNode resource = body.at("/Resources/0");
        assertThat(resource.get("Name").asText()).isEqualTo(RESOURCE);
        assertThat(resource.at("/Location/BaseLocation").asText()).isEqualTo(azurite.blobEndpoint() + "/");
        assertThat(resource.at("/Location/RelativeLocation").asText()).isEqualTo(MODEL_CONTAINER + "/" + modelBlob);
        assertThat(resource.at("/Location/SasBlobToken").isNull()).isTrue();
        assertThat(response.body()).doesNotContain("sig=");
    }

    @Test
    void getOfANeverUpdatedEndpointListsItsResourcesWithoutLocation() {
        JsonNode body = json(http.getEndpoint("default", "key0"));

        assertThat(body.get("Name").asText()).isEqualTo("default");
        assertThat(body.at("/Resources/0/Name").asText()).isEqualTo(RESOURCE);
        assertThat(body.at("/Resources/0/Location").isNull()).isTrue();
    }

    @Test
    void patchingTheTrainingServiceHasNoUpdatableResources() {
        String url = emulator.baseUrl() + "/workspaces/ws1/webservices/train-svc/endpoints/default";

        HttpResponse<String> response = send("PATCH", url, "train-key", updateFor(trainModel(23)).toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("BadArgument");
        assertThat(detailMessage(response)).startsWith("This Web Service has no updatable resources");
    }

    @Test
    void theDefaultEndpointCannotBeUpdated() {
        HttpResponse<String> response = http.patch("default", "key0", updateFor(trainModel(24)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("CannotUpdateDefaultEndpoint");
        assertThat(detailMessage(response)).contains("'ep1'", "'ep2'", "'rollback'");
        assertThat(emulator.servedModel("default")).isEmpty();
    }

    @Test
    void aWrongResourceNameIsRefusedNamingTheValidOnes() {
        String modelBlob = trainModel(25);
        ObjectNode body = updateFor(modelBlob);
        ((ObjectNode) body.at("/Resources/0")).put("Name", "census model [trained model]");

        HttpResponse<String> response = http.patch("ep1", "key1", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("InvalidResourceName");
        assertThat(detailMessage(response)).contains("'census model [trained model]'", "'" + RESOURCE + "'");
    }

    @Test
    void anExpiredSasIsRefused() {
        String run = uniqueRun();
        try (AzureMlEmulator shortSas = testEmulator().scoringService(emulator.scoringService())
                .jobDuration(Duration.ZERO).resultSasValidity(Duration.ofSeconds(1)).start()) {
            EmulatorHttp shortHttp = new EmulatorHttp(shortSas);
            JsonNode model = shortHttp.runToEnd(jobBody(uploadData(linearCsv(50, 0.1, 26)), run)).at("/Results/output1");
            // the job's own one-second SAS, reused for the PATCH: the pitfall PROTOCOL.md warns about
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> EmulatorHttp.downloadResult(model).statusCode() == 403);
            ObjectNode body = updateBody(RESOURCE, model.get("BaseLocation").asText(),
                    model.get("RelativeLocation").asText(), model.get("SasBlobToken").asText());

            HttpResponse<String> response = shortHttp.patch("ep1", shortSas.endpointKey("ep1"), body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(detailCode(response)).isEqualTo("InvalidTrainedModelLocation");
            assertThat(detailMessage(response)).contains("403", "expired").contains("sig=******");
            assertThat(response.body()).doesNotContain(model.get("SasBlobToken").asText());
            assertThat(shortSas.servedModel("ep1")).isEmpty();
        }
    }

    @Test
    void aMissingModelBlobIsRefused() {
        String blob = uniqueRun() + "/model.ilearner";
        HttpResponse<String> response = http.patch("ep1", "key1", updateFor(blob));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("InvalidTrainedModelLocation");
        assertThat(detailMessage(response)).contains("404");
    }

    @Test
    void aZeroByteOrNonModelBlobIsRefused() {
        String empty = uniqueRun() + "/model.ilearner";
        String notModel = uniqueRun() + "/model.ilearner";
        blobs.getBlobContainerClient(MODEL_CONTAINER).getBlobClient(empty).upload(BinaryData.fromBytes(new byte[0]));
        blobs.getBlobContainerClient(MODEL_CONTAINER).getBlobClient(notModel).upload(BinaryData.fromString("a,b\n1,2\n"));

        HttpResponse<String> emptyResponse = http.patch("ep1", "key1", updateFor(empty));
        HttpResponse<String> notModelResponse = http.patch("ep1", "key1", updateFor(notModel));

        assertThat(emptyResponse.statusCode()).isEqualTo(400);
        assertThat(detailCode(emptyResponse)).isEqualTo("InvalidTrainedModel");
        assertThat(detailMessage(emptyResponse)).contains("empty (0 bytes)");
        assertThat(notModelResponse.statusCode()).isEqualTo(400);
        assertThat(detailMessage(notModelResponse)).contains("not a trained model");
    }

    @Test
    void aBaseLocationWithoutTrailingSlashBreaksTheUrlAsItWouldForReal() {
        String modelBlob = trainModel(27);
        ObjectNode body = updateFor(modelBlob);
        ((ObjectNode) body.at("/Resources/0/Location")).put("BaseLocation", azurite.blobEndpoint());

        HttpResponse<String> response = http.patch("ep1", "key1", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("InvalidTrainedModelLocation");
    }

    @Test
    void authAndUnknownTargets() {
        ObjectNode body = updateFor(trainModel(28));

        assertThat(http.patch("ep1", null, body).statusCode()).isEqualTo(401);
        assertThat(http.patch("ep1", "key2", body).statusCode()).isEqualTo(401);
        assertThat(http.getEndpoint("ep1", "wrong").statusCode()).isEqualTo(401);
        String base = emulator.baseUrl() + "/workspaces/ws1/webservices/";
        assertThat(send("PATCH", base + "score-svc/endpoints/nope", "key1", body.toString()).statusCode()).isEqualTo(404);
        assertThat(send("PATCH", base + "other-svc/endpoints/ep1", "key1", body.toString()).statusCode()).isEqualTo(404);
        assertThat(send("GET", base + "score-svc/endpoints/nope", "key1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void patchBodyFieldNamesAreExact() {
        ObjectNode body = updateFor(trainModel(29));
        ObjectNode location = (ObjectNode) body.at("/Resources/0/Location");
        location.set("SASBlobToken", location.remove("SasBlobToken"));

        HttpResponse<String> response = http.patch("ep1", "key1", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detailCode(response)).isEqualTo("UnknownField");
        assertThat(detailMessage(response)).contains("'SASBlobToken'").doesNotContain("sig=");
    }

    @Test
    void predictionsFollowTheServedModelThroughUpdateAndRollback() {
        List<Map<String, Object>> rows = List.of(Map.of("a", 1.0, "b", 2.0), Map.of("a", 4.0, "b", "0.5"));
        String first = trainModel(30);
        String second = trainModel(31);

        double original = scoredLabel(http.execute("rollback", rows), 0);
        assertThat(http.patch("rollback", "key3", updateFor(first)).statusCode()).isEqualTo(200);
        double afterFirst = scoredLabel(http.execute("rollback", rows), 0);
        assertThat(http.patch("rollback", "key3", updateFor(second)).statusCode()).isEqualTo(200);
        double afterSecond = scoredLabel(http.execute("rollback", rows), 0);
        assertThat(http.patch("rollback", "key3", updateFor(first)).statusCode()).isEqualTo(200);
        double afterRollback = scoredLabel(http.execute("rollback", rows), 0);

        assertThat(original).isEqualTo(0.0);
        // y = 2a - 3b + 1 at a=1, b=2 is -3
        assertThat(afterFirst).isCloseTo(-3.0, within(0.1));
        assertThat(afterSecond).isNotEqualTo(afterFirst);
        assertThat(afterRollback).isEqualTo(afterFirst);
        assertThat(scoredLabel(http.execute("default", rows), 0)).isEqualTo(0.0);
    }

    @Test
    void executeEchoesTheInputColumnsAndAddsScoredLabels() {
        assertThat(http.patch("ep1", "key1", updateFor(trainModel(32))).statusCode()).isEqualTo(200);

        JsonNode body = json(http.execute("ep1", List.of(Map.of("a", 2.0, "b", 1.0, "extra", "kept"))));

        JsonNode row = body.at("/Results/output1/0");
        assertThat(row.get("a").asDouble()).isEqualTo(2.0);
        assertThat(row.get("extra").asText()).isEqualTo("kept");
        assertThat(row.get("Scored Labels").asDouble()).isCloseTo(2.0, within(0.1));
    }

    @Test
    void executeChecksKeyApiVersionAndColumns() {
        assertThat(http.patch("ep1", "key1", updateFor(trainModel(33))).statusCode()).isEqualTo(200);
        String body = "{\"Inputs\":{\"input1\":[{\"a\":1}]},\"GlobalParameters\":{}}";

        HttpResponse<String> missingColumn = send("POST", emulator.scoringUrl("ep1"), "key1", body);
        HttpResponse<String> wrongKey = send("POST", emulator.scoringUrl("ep1"), "key0", body);
        HttpResponse<String> noVersion = send("POST", emulator.scoringUrl("ep1").replace("?api-version=2.0", ""),
                "key1", body);
        HttpResponse<String> wrongPort = send("POST", emulator.scoringUrl("ep1"), "key1",
                "{\"Inputs\":{\"Input1\":[]}}");

        assertThat(missingColumn.statusCode()).isEqualTo(400);
        assertThat(detailCode(missingColumn)).isEqualTo("MissingInputColumns");
        assertThat(detailMessage(missingColumn)).contains("'b'");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(detailCode(wrongPort)).isEqualTo("InvalidInputNames");
    }

    private static double scoredLabel(HttpResponse<String> response, int row) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).at("/Results/output1/" + row + "/Scored Labels").asDouble();
    }
}

package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A plain java.net.http client for the emulator's APIs, as a test would write one by hand. */
final class EmulatorHttp {

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AzureMlEmulator emulator;

    EmulatorHttp(AzureMlEmulator emulator) {
        this.emulator = emulator;
    }

    static HttpResponse<String> send(String method, String url, String bearerKey, String jsonBody) {
        try {
            return sendWith(CLIENT, method, url, bearerKey, jsonBody, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CompletableFuture<HttpResponse<String>> sendAsync(String method, String url, String bearerKey, String jsonBody) {
        return CLIENT.sendAsync(request(method, url, bearerKey, jsonBody, Duration.ofSeconds(30)),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * One call on the given client, its failure thrown as it is: give a new client where a call gets no answer
     * (no pooled connection the JDK client might retry on), it then fails with an IOException, or an
     * HttpTimeoutException after {@code timeout}.
     */
    static HttpResponse<String> sendWith(HttpClient client, String method, String url, String bearerKey,
                                         String jsonBody, Duration timeout) throws IOException, InterruptedException {
        return client.send(request(method, url, bearerKey, jsonBody, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, String url, String bearerKey, String jsonBody, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        if (bearerKey != null) {
            request.header("Authorization", "Bearer " + bearerKey);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.build();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first detail code of a classic error body. */
    static String detailCode(HttpResponse<String> response) {
        return json(response).at("/error/details/0/code").asText();
    }

    static String detailMessage(HttpResponse<String> response) {
        return json(response).at("/error/details/0/message").asText();
    }

    String jobsUrl() {
        return emulator.trainingJobsUrl() + "?api-version=2.0";
    }

    String jobUrl(String id) {
        return emulator.trainingJobsUrl() + "/" + id + "?api-version=2.0";
    }

    String trainingKey() {
        return emulator.trainingService().apiKey();
    }

    HttpResponse<String> submit(JsonNode body) {
        return send("POST", jobsUrl(), trainingKey(), body.toString());
    }

    String submitOk(JsonNode body) {
        HttpResponse<String> response = submit(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).asText();
    }

    HttpResponse<String> start(String id) {
        return send("POST", startUrl(id), trainingKey(), null);
    }

    String startUrl(String id) {
        return emulator.trainingJobsUrl() + "/" + id + "/start?api-version=2.0";
    }

    HttpResponse<String> status(String id) {
        return send("GET", jobUrl(id), trainingKey(), null);
    }

    HttpResponse<String> cancel(String id) {
        return send("DELETE", jobUrl(id), trainingKey(), null);
    }

    JsonNode statusJson(String id) {
        HttpResponse<String> response = status(id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Submits, starts and waits for an end status; answers the last status body. */
    JsonNode runToEnd(JsonNode body) {
        String id = submitOk(body);
        assertThat(start(id).statusCode()).isEqualTo(200);
        return awaitEnd(id);
    }

    JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> statusJson(id), status -> List.of("Finished", "Failed", "Cancelled")
                        .contains(status.get("StatusCode").asText()));
    }

    /** Reads a Results entry the way the client would: BaseLocation + RelativeLocation + SasBlobToken, no key. */
    static HttpResponse<byte[]> downloadResult(JsonNode result) {
        String url = result.get("BaseLocation").asText() + result.get("RelativeLocation").asText()
                + result.get("SasBlobToken").asText();
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> patch(String endpoint, String key, JsonNode body) {
        return send("PATCH", emulator.updateResourceUrl(endpoint), key, body.toString());
    }

    HttpResponse<String> getEndpoint(String endpoint, String key) {
        return send("GET", emulator.updateResourceUrl(endpoint), key, null);
    }

    HttpResponse<String> execute(String endpoint, List<Map<String, Object>> rows) {
        ObjectNode body = Json.object();
        body.putObject("Inputs").set(emulator.scoringService().inputPort(), Json.MAPPER.valueToTree(rows));
        body.putObject("GlobalParameters");
        return send("POST", emulator.scoringUrl(endpoint), emulator.endpointKey(endpoint), body.toString());
    }

    /** An UpdateResource body for a finished job's Results entry, read through its Results SAS. */
    static ObjectNode updateBody(String resourceName, JsonNode result) {
        return updateBody(resourceName, result.get("BaseLocation").asText(), result.get("RelativeLocation").asText(),
                result.get("SasBlobToken").asText());
    }

    /** An UpdateResource body pointing at a location (SAS included as given). */
    static ObjectNode updateBody(String resourceName, String baseLocation, String relativeLocation, String sas) {
        ObjectNode body = Json.object();
        body.putArray("Resources").addObject().put("Name", resourceName).putObject("Location")
                .put("BaseLocation", baseLocation).put("RelativeLocation", relativeLocation).put("SasBlobToken", sas);
        return body;
    }
}

package org.camelazureml.retrain.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Asks a scoring endpoint for one prediction through its Request-Response API, to show which model it serves.
 * Demo and test aid only; the pipeline never scores.
 */
public final class ScoringProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ScoringProbe() {
    }

    /** The "Scored Labels" value for one input row. */
    public static double predict(String executeUrl, String apiKey, Map<String, Double> row) {
        try {
            String body = JSON.writeValueAsString(Map.of("Inputs", Map.of("input1", new Object[] {row}),
                    "GlobalParameters", Map.of()));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(executeUrl))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("scoring call answered HTTP " + response.statusCode());
            }
            JsonNode results = JSON.readTree(response.body()).path("Results");
            return results.elements().next().get(0).get("Scored Labels").asDouble();
        } catch (IOException e) {
            throw new IllegalStateException("scoring call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

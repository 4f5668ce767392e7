package org.camelazureml.retrain.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The emulator's trained model, stored as its ".ilearner" document: the line
 * {@value #MAGIC}, then one JSON object with the output port it was written for, the features,
 * coefficients, intercept, label name and training row count. The same input data and port always
 * give the same bytes; a job with several trained model outputs writes the same model to each, as
 * documents that differ by their port (so each blob has its own SHA-256). The reader ignores the
 * port. Whitespace after the JSON
 * object is ignored, so a model blob may carry padding of {@link #PADDING} bytes (the
 * {@code model:padded} fault) and still be read as the same model.
 */
record LinearModel(List<String> features, List<Double> coefficients, double intercept, String label, int trainingRows) {

    static final String MAGIC = "EMULATED-ILEARNER v1";

    /** The byte a padded model blob is filled with after the document: JSON whitespace, which {@link #parse} skips. */
    static final byte PADDING = ' ';

    /**
     * What an endpoint serves before its first update: predicts 0 for every row, whatever the
     * columns, so a retrained model's predictions visibly differ.
     */
    static final LinearModel ORIGINAL = new LinearModel(List.of(), List.of(), 0.0, "Scored Labels", 0);

    LinearModel {
        features = List.copyOf(features);
        coefficients = List.copyOf(coefficients);
        if (features.size() != coefficients.size()) {
            throw new IllegalArgumentException("features and coefficients differ in length");
        }
    }

    double predict(Map<String, Double> row) {
        double prediction = intercept;
        for (int i = 0; i < features.size(); i++) {
            prediction += coefficients.get(i) * row.get(features.get(i));
        }
        return prediction;
    }

    /** The model document for the trained model output {@code outputPort}. */
    byte[] toIlearner(String outputPort) {
        ObjectNode json = Json.object();
        json.put("format", "linear-regression");
        json.put("outputPort", outputPort);
        json.put("label", label);
        features.forEach(json.putArray("features")::add);
        coefficients.forEach(json.putArray("coefficients")::add);
        json.put("intercept", intercept);
        json.put("trainingRows", trainingRows);
        return (MAGIC + "\n" + new String(Json.bytes(json), StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a model document; anything else is an IllegalArgumentException saying why. */
    static LinearModel parse(byte[] document) {
        String text = new String(document, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0 || !text.substring(0, newline).trim().equals(MAGIC)) {
            throw new IllegalArgumentException("the blob is not a trained model (expected a model written by a training job,"
                    + " starting with '" + MAGIC + "')");
        }
        try {
            JsonNode json = Json.MAPPER.readTree(text.substring(newline + 1));
            List<String> features = Json.MAPPER.convertValue(json.required("features"),
                    Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
            List<Double> coefficients = Json.MAPPER.convertValue(json.required("coefficients"),
                    Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Double.class));
            return new LinearModel(features, coefficients, json.required("intercept").asDouble(),
                    json.required("label").asText(), json.required("trainingRows").asInt());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the trained model document is damaged: " + e.getMessage());
        }
    }
}

package org.camelazureml.retrain.emulator;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Request-Response scoring on an endpoint, with the model that endpoint currently serves:
 * {@code {"Inputs":{"input1":[{...}]},"GlobalParameters":{}}} answers
 * {@code {"Results":{"output1":[{..., "Scored Labels": n}]}}}.
 */
final class ScoringExecutionApi {

    static final String SCORED_LABELS = "Scored Labels";
    static final Set<String> BODY_FIELDS = Set.of("Inputs", "GlobalParameters");

    private final ScoringServiceSpec scoring;
    private final ScoringEndpoints endpoints;

    ScoringExecutionApi(ScoringServiceSpec scoring, ScoringEndpoints endpoints) {
        this.scoring = scoring;
        this.endpoints = endpoints;
    }

    ApiResponse execute(ApiRequest request) {
        String name = request.param("endpoint");
        ScoringServiceSpec.Endpoint endpoint = scoring.endpoint(name).orElseThrow(() -> ApiError.notFound(
                "No Request-Response endpoint named '" + name + "'; the scoring endpoints are "
                        + scoring.endpoints().stream().map(ScoringServiceSpec.Endpoint::name).toList() + "."));
        request.requireBearer(List.of(endpoint.apiKey()));
        request.requireApiVersion();
        JsonNode rows = inputRows(request.jsonBody());
        LinearModel model = endpoints.scoringModel(endpoint.name());
        ObjectNode body = Json.object();
        ArrayNode scored = body.putObject("Results").putArray(scoring.outputPort());
        int index = 0;
        for (JsonNode row : rows) {
            ObjectNode output = row.deepCopy();
            output.put(SCORED_LABELS, model.predict(features(model, row, index++)));
            scored.add(output);
        }
        return ApiResponse.json(200, body);
    }

    private JsonNode inputRows(JsonNode body) {
        if (!body.isObject()) {
            throw ApiError.badArgument("InvalidRequestBody", "The request body must be a JSON object.");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!BODY_FIELDS.contains(field)) {
                throw ApiError.badArgument("UnknownField", "Unknown field '" + field + "' (field names are case "
                        + "sensitive); expected 'Inputs' and 'GlobalParameters'.");
            }
        }
        JsonNode inputs = body.get("Inputs");
        if (inputs == null || !inputs.isObject() || inputs.isEmpty()) {
            throw ApiError.badArgument("MissingInputs", "'Inputs' must name the input '" + scoring.inputPort() + "'.");
        }
        for (Iterator<String> names = inputs.fieldNames(); names.hasNext(); ) {
            String port = names.next();
            if (!port.equals(scoring.inputPort())) {
                throw ApiError.badArgument("InvalidInputNames", "Unknown input '" + port + "'; this endpoint's input is '"
                        + scoring.inputPort() + "'.");
            }
        }
        JsonNode rows = inputs.get(scoring.inputPort());
        if (!rows.isArray()) {
            throw ApiError.badArgument("InvalidInputs", "Inputs." + scoring.inputPort() + " must be an array of rows "
                    + "(objects of column name to value).");
        }
        return rows;
    }

    /** The model's feature values from one row; numbers or numeric strings, as the classic service accepted both. */
    private static Map<String, Double> features(LinearModel model, JsonNode row, int index) {
        if (!row.isObject()) {
            throw ApiError.badArgument("InvalidInputs", "Row " + index + " is not an object of column name to value.");
        }
        Map<String, Double> values = new HashMap<>();
        for (String feature : model.features()) {
            JsonNode value = row.get(feature);
            if (value == null || value.isNull()) {
                throw ApiError.badArgument("MissingInputColumns", "Row " + index + " has no value for column '" + feature
                        + "'; the served model needs " + model.features() + ".");
            }
            try {
                values.put(feature, value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText().trim()));
            } catch (NumberFormatException e) {
                throw ApiError.badArgument("InvalidInputColumnValue", "Row " + index + ", column '" + feature + "': '"
                        + value.asText() + "' is not a number.");
            }
        }
        return values;
    }
}

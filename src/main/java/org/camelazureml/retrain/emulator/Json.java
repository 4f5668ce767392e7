package org.camelazureml.retrain.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camelazureml.retrain.config.Redaction;

/** The emulator's one ObjectMapper. Requests are read as trees so field names are checked here, exactly. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses a request body; anything that is not one JSON document is a 400 BadArgument. */
    static JsonNode parseRequestBody(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badArgument("InvalidRequestBody", "The request body is empty; a JSON object is required.");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badArgument("InvalidRequestBody", "The request body is not JSON.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badArgument("InvalidRequestBody", "The request body is not valid JSON: "
                    + Redaction.redact(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

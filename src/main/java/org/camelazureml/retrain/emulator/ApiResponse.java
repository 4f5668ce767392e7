package org.camelazureml.retrain.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** An HTTP answer: status, optional JSON body, extra headers. */
record ApiResponse(int status, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Json.bytes(body), Map.of("Content-Type", JSON));
    }

    /** A bare JSON string body, such as the job id answer {@code "539d0bc2..."}. */
    static ApiResponse jsonString(int status, String value) {
        return new ApiResponse(status, ("\"" + value + "\"").getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", JSON));
    }

    static ApiResponse empty(int status) {
        return new ApiResponse(status, new byte[0], Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, body, Map.copyOf(copy));
    }
}

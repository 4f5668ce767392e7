package org.camelazureml.retrain.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.Headers;

/**
 * One request as the handlers see it, with the checks every classic API shares: bearer key,
 * {@code api-version=2.0}, JSON content type.
 */
record ApiRequest(String method, String path, Map<String, List<String>> query, Headers headers, byte[] body,
                  Map<String, String> pathParams) {

    static final String API_VERSION = "2.0";

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    String param(String name) {
        return pathParams.get(name);
    }

    /** {@code Authorization: Bearer <key>} with exactly one of the accepted keys, else 401. */
    void requireBearer(List<String> acceptedKeys) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !acceptedKeys.contains(authorization.substring("Bearer ".length()))) {
            throw ApiError.unauthorized();
        }
    }

    /** Exactly one {@code api-version} query parameter, equal to 2.0. */
    void requireApiVersion() {
        List<String> versions = query.get("api-version");
        if (versions == null) {
            throw ApiError.badArgument("MissingApiVersion",
                    "The query parameter api-version is required; use api-version=" + API_VERSION + ".");
        }
        if (versions.size() != 1 || !API_VERSION.equals(versions.get(0))) {
            throw ApiError.badArgument("InvalidApiVersion", "api-version must be given once, as " + API_VERSION
                    + "; was " + String.join(", ", versions) + ".");
        }
    }

    void requireJsonContent() {
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw ApiError.unsupportedMediaType(contentType);
        }
    }

    /** Body calls: JSON content type, then the body parsed as a tree. */
    com.fasterxml.jackson.databind.JsonNode jsonBody() {
        requireJsonContent();
        return Json.parseRequestBody(body);
    }
}

package org.camelazureml.retrain.emulator;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answer in the classic services' shape:
 * {@code {"error":{"code":"BadArgument","message":"...","details":[{"code":"...","message":"..."}]}}}.
 * Thrown by request handling and turned into a response by the dispatcher.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String detailCode;
    private final String detailMessage;
    private final Duration retryAfter;

    ApiError(int status, String code, String message, String detailCode, String detailMessage, Duration retryAfter) {
        super(message, null, false, false); // control flow, not a bug: no stack trace
        this.status = status;
        this.code = code;
        this.detailCode = detailCode;
        this.detailMessage = detailMessage;
        this.retryAfter = retryAfter;
    }

    static ApiError badArgument(String detailCode, String detailMessage) {
        return new ApiError(400, "BadArgument", "Invalid argument provided.", detailCode, detailMessage, null);
    }

    static ApiError invalidOperation(String detailCode, String detailMessage) {
        return new ApiError(400, "InvalidOperation", "The requested operation is not valid.", detailCode,
                detailMessage, null);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "Authorization failed.", "ScoreRequestUnauthorized",
                "Invalid credentials provided.", null);
    }

    static ApiError notFound(String detailMessage) {
        return new ApiError(404, "NotFound", "Resource not found.", "NotFound", detailMessage, null);
    }

    static ApiError methodNotAllowed(String method) {
        return new ApiError(405, "MethodNotAllowed", "The HTTP method is not allowed for this resource.",
                "MethodNotAllowed", method + " is not supported on this path.", null);
    }

    static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, "UnsupportedMediaType", "Unsupported content type.", "UnsupportedContentType",
                "Content-Type must be application/json, was " + (contentType == null ? "missing" : "'" + contentType + "'")
                        + ".", null);
    }

    static ApiError internal(String detailMessage) {
        return new ApiError(500, "InternalError", "The request failed due to an internal error.", "InternalError",
                detailMessage, null);
    }

    /** The realistic error for an injected HTTP status: 503 RequestThrottled, 429 TooManyRequests, 500 InternalError ... */
    static ApiError injected(int status, Duration retryAfter) {
        String note = "Injected by the emulator's fault plan.";
        return switch (status) {
            case 400 -> new ApiError(400, "BadArgument", "Invalid argument provided.", "EmulatorInjectedFault", note, retryAfter);
            case 401 -> new ApiError(401, "Unauthorized", "Authorization failed.", "ScoreRequestUnauthorized", note, retryAfter);
            case 403 -> new ApiError(403, "Forbidden", "Access denied.", "Forbidden", note, retryAfter);
            case 404 -> new ApiError(404, "NotFound", "Resource not found.", "NotFound", note, retryAfter);
            case 408 -> new ApiError(408, "RequestTimeout", "The request timed out.", "ScoreRequestTimeout", note, retryAfter);
            case 409 -> new ApiError(409, "Conflict", "The request conflicts with the current state.", "Conflict", note, retryAfter);
            case 413 -> new ApiError(413, "RequestEntityTooLarge", "The request exceeded the memory quota.",
                    "MemoryQuotaViolation", note, retryAfter);
            case 429 -> new ApiError(429, "TooManyRequests", "Too many requests.", "TooManyConcurrentRequests", note, retryAfter);
            case 500 -> new ApiError(500, "InternalError", "The request failed due to an internal error.", "InternalError",
                    note, retryAfter);
            case 502 -> new ApiError(502, "BadGateway", "Bad gateway.", "BadGateway", note, retryAfter);
            case 503 -> new ApiError(503, "ServiceUnavailable", "The service is temporarily unavailable.", "RequestThrottled",
                    note, retryAfter);
            case 504 -> new ApiError(504, "GatewayTimeout", "The gateway timed out.", "GatewayTimeout", note, retryAfter);
            default -> new ApiError(status, status < 500 ? "BadRequest" : "ServerError", "HTTP " + status + ".",
                    "EmulatorInjectedFault", note, retryAfter);
        };
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detailCode() {
        return detailCode;
    }

    String detailMessage() {
        return detailMessage;
    }

    ApiResponse toResponse() {
        ObjectNode error = Json.object();
        error.put("code", code).put("message", getMessage());
        error.putArray("details").addObject().put("code", detailCode).put("message", detailMessage);
        ObjectNode body = Json.object();
        body.set("error", error);
        ApiResponse response = ApiResponse.json(status, body);
        return retryAfter == null ? response : response.withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }
}

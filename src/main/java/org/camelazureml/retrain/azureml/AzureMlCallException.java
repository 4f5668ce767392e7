package org.camelazureml.retrain.azureml;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.camelazureml.retrain.config.Redaction;

/**
 * A remote call to Azure ML that did not succeed: which call, the HTTP status (0 when no answer came), the Azure
 * error code and details, and what to check. {@link #isTransient()} says whether trying again can help
 * (408, 429, 500, 502, 503, 504 and lost connections); every other 4xx, and a TLS failure, is permanent.
 * {@link #provesNotAccepted()} says whether the service certainly did not act on the request, which matters for the
 * one call that is not idempotent, the submit.
 */
public class AzureMlCallException extends RuntimeException implements TransientFailure {

    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    /** What to check, by the Azure error or detail code. */
    private static final Map<String, String> HINTS_BY_CODE = Map.of(
            "InvalidInputNames", "retrain.training.inputs.<port> names must match the training web service's input"
                    + " names exactly (case sensitive)",
            "InvalidOutputOverrideName", "retrain.training.outputs.<port> names must match the training web service's"
                    + " output names exactly (case sensitive)",
            "InvalidBlobExtension", "output paths must end in .ilearner for a trained model and .csv, .tsv or .arff"
                    + " for a dataset",
            "MissingRequiredGlobalParameters", "add retrain.training.global-parameters.<name> for every parameter"
                    + " the experiment requires (names are case sensitive)",
            "BatchJobInputsNotSpecified", "configure at least one retrain.training.inputs.<port>=container/path",
            "MissingRequiredOutputOverrides", "configure every output of the training web service in"
                    + " retrain.training.outputs.<port>",
            "CannotStartJob", "the job is not in a state that can be started (already started or ended)");

    private final AzureMlOperation operation;
    private final int httpStatus;
    private final String errorCode;
    private final List<String> detailCodes;
    private final Duration retryAfter;
    private final boolean requestSent;

    public AzureMlCallException(AzureMlOperation operation, int httpStatus, AzureMlErrorBody.Error error,
            String rawBody, Duration retryAfter) {
        super(describe(operation, httpStatus, error, rawBody));
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.errorCode = error == null ? null : error.code();
        this.detailCodes = error == null || error.details() == null
                ? List.of() : error.details().stream().map(AzureMlErrorBody.Detail::code).toList();
        this.retryAfter = retryAfter;
        this.requestSent = true;
    }

    /** No HTTP answer at all: refused, reset, timed out, or the TLS handshake failed. */
    public AzureMlCallException(AzureMlOperation operation, Throwable cause) {
        super(operation.description() + " failed: no answer from the service (" + cause.getClass().getSimpleName()
                + ": " + Redaction.redact(cause.getMessage()) + "). Check the URL in " + operation.configPrefix()
                + ".*" + (cause instanceof SSLException ? ", the service's TLS certificate and"
                        + " camel.component.https.ssl-context-parameters" : " and that the service is reachable") + ".",
                cause);
        this.operation = operation;
        this.httpStatus = 0;
        this.errorCode = null;
        this.detailCodes = List.of();
        this.retryAfter = null;
        this.requestSent = !neverReachedTheService(cause);
    }

    /** Failures before a single request byte could reach the service: resolving, connecting, the TLS handshake. */
    private static boolean neverReachedTheService(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException || cause instanceof SSLHandshakeException
                || cause.getClass().getSimpleName().equals("ConnectTimeoutException");
    }

    public AzureMlOperation operation() {
        return operation;
    }

    /** The HTTP status, or 0 when the service did not answer. */
    public int httpStatus() {
        return httpStatus;
    }

    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public List<String> detailCodes() {
        return detailCodes;
    }

    /** The wait the service asked for in {@code Retry-After}, if any. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isTransient() {
        if (httpStatus == 0) {
            return !(getCause() instanceof SSLException);
        }
        return TRANSIENT_STATUSES.contains(httpStatus);
    }

    /**
     * True when the service certainly did not act on the request: it answered with an error of its own, or the
     * request never reached it. A gateway error (502, 504) or a lost answer leaves the outcome unknown.
     */
    public boolean provesNotAccepted() {
        if (httpStatus == 0) {
            return !requestSent;
        }
        return httpStatus != 502 && httpStatus != 504;
    }

    /** Transient, and for a submit also certainly not acted on: retrying must not make a second job. */
    @Override
    public boolean isRetryable() {
        return isTransient() && (operation != AzureMlOperation.SUBMIT_JOB || provesNotAccepted());
    }

    private static String describe(AzureMlOperation operation, int status, AzureMlErrorBody.Error error, String raw) {
        StringBuilder text = new StringBuilder(operation.description()).append(" failed: HTTP ").append(status);
        if (error != null) {
            if (error.code() != null) {
                text.append(' ').append(error.code());
            }
            if (error.details() != null) {
                for (AzureMlErrorBody.Detail detail : error.details()) {
                    text.append(" / ").append(detail.code());
                }
            }
            if (error.message() != null) {
                text.append(": ").append(error.message());
            }
            if (error.details() != null) {
                for (AzureMlErrorBody.Detail detail : error.details()) {
                    if (detail.message() != null) {
                        text.append(" (").append(detail.code()).append(": ").append(detail.message()).append(')');
                    }
                }
            }
        } else if (raw != null && !raw.isBlank()) {
            text.append(": ").append(raw.length() > 500 ? raw.substring(0, 500) + "..." : raw);
        }
        hint(operation, status, error, raw).ifPresent(hint -> text.append(". Check: ").append(hint));
        return Redaction.redact(text.toString());
    }

    private static Optional<String> hint(AzureMlOperation operation, int status, AzureMlErrorBody.Error error,
            String raw) {
        if (error != null) {
            if (error.details() != null) {
                for (AzureMlErrorBody.Detail detail : error.details()) {
                    if (HINTS_BY_CODE.containsKey(detail.code())) {
                        return Optional.of(HINTS_BY_CODE.get(detail.code()));
                    }
                }
            }
            if (HINTS_BY_CODE.containsKey(error.code())) {
                return Optional.of(HINTS_BY_CODE.get(error.code()));
            }
        }
        if (operation == AzureMlOperation.UPDATE_RESOURCE && String.valueOf(raw).contains("no updatable resources")) {
            return Optional.of("retrain.scoring.update-resource-endpoint points at the training web service; use a"
                    + " non-default endpoint of the scoring (predictive) web service");
        }
        return switch (status) {
            case 401, 403 -> Optional.of(operation.configPrefix() + ".api-key (each endpoint has its own key)");
            case 404 -> operation == AzureMlOperation.UPDATE_RESOURCE || operation == AzureMlOperation.DESCRIBE_ENDPOINT
                    ? Optional.of("retrain.scoring.update-resource-endpoint (workspace, web service id, endpoint name)")
                    : Optional.of("retrain.training.endpoint, and that the job still exists");
            case 400 -> operation == AzureMlOperation.UPDATE_RESOURCE
                    ? Optional.of("retrain.scoring.trained-model-name must equal the trained model's resource name"
                            + " listed under Updatable Resources, and the endpoint must not be the default one")
                    : Optional.empty();
            default -> Optional.empty();
        };
    }
}

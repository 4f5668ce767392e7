package org.camelazureml.retrain.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.camelazureml.retrain.azureml.TransientFailure;

/**
 * Reading the trained model from Blob storage failed for a reason that may pass (the storage service was busy or
 * the connection broke); the fetch starts over on retry. Permanent problems (missing blob, no permission) are not
 * this exception.
 */
public class ModelFetchException extends RuntimeException implements TransientFailure {

    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    private final int httpStatus;

    public ModelFetchException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** Whether a storage answer with this status is worth another try. */
    public static boolean isTransientStatus(int status) {
        return TRANSIENT_STATUSES.contains(status);
    }

    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }
}

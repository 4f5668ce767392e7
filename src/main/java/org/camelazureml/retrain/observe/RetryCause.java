package org.camelazureml.retrain.observe;

import java.util.Locale;

import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.storage.ModelFetchException;

/**
 * Why a step was retried, as a small fixed set fit for a metric label (never an exception's text, which would hold
 * ids and grow without bound).
 */
public enum RetryCause {
    /** Azure ML answered 429 Too Many Requests (throttled). */
    HTTP_429,
    /** Azure ML answered 503 Service Unavailable. */
    HTTP_503,
    /** Azure ML answered another transient 5xx (500, 502, 504). */
    HTTP_5XX,
    /** Azure ML answered 408 Request Timeout. */
    HTTP_408,
    /** No answer from Azure ML: connection refused or reset, read timeout. */
    NO_ANSWER,
    /** Reading the trained model from Blob storage failed transiently. */
    STORAGE,
    /** Anything else that said it was retryable. */
    OTHER;

    public static RetryCause of(Throwable failure) {
        if (failure instanceof ModelFetchException) {
            return STORAGE;
        }
        if (failure instanceof AzureMlCallException call) {
            int status = call.httpStatus();
            if (status == 0) {
                return NO_ANSWER;
            }
            if (status == 429) {
                return HTTP_429;
            }
            if (status == 503) {
                return HTTP_503;
            }
            if (status == 408) {
                return HTTP_408;
            }
            if (status >= 500 && status <= 599) {
                return HTTP_5XX;
            }
        }
        return OTHER;
    }

    /** The label value: {@code http_429}, {@code no_answer}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

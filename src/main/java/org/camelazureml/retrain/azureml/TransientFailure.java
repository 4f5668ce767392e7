package org.camelazureml.retrain.azureml;

import java.time.Duration;
import java.util.Optional;

/** A failure of a remote call that may pass if the same call is made again later (the retry policy asks). */
public interface TransientFailure {

    /** True when trying the same call again can help and cannot do harm. */
    boolean isRetryable();

    /** The wait the remote side asked for ({@code Retry-After}), if any. */
    Optional<Duration> retryAfter();
}

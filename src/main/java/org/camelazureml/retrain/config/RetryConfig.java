package org.camelazureml.retrain.config;

import java.time.Duration;

/**
 * How transient failures are retried: exponential backoff from {@code initialDelay} (doubling, with jitter),
 * each wait capped at {@code maxDelay} (a longer {@code Retry-After} from the service is honoured up to that cap),
 * and at most {@code maxAttempts} retries of one step's call in a row.
 */
public record RetryConfig(Duration initialDelay, Duration maxDelay, int maxAttempts) {
}

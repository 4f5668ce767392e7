package org.camelazureml.retrain.steps;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.camelazureml.retrain.azureml.TransientFailure;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.config.RetryConfig;
import org.camelazureml.retrain.state.RetrainRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy, used by the route's error handler (Camel's asynchronous redelivery does the waiting, so a
 * run waiting to retry holds no thread). {@link #matches} (the route's {@code retryWhile}) decides: only failures that say they are retryable
 * (transient, and for a submit certainly not acted on), at most {@code retrain.retry.max-attempts} in a row per step.
 * {@link #process} runs when the failure happens: it sets the wait before the next attempt (exponential backoff with
 * jitter, at least the service's {@code Retry-After}, at most {@code retrain.retry.max-delay}), records the retry on
 * the run and logs it.
 */
public class RetryPolicy implements Processor, Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final PipelineResources resources;

    public RetryPolicy(PipelineResources resources) {
        this.resources = resources;
    }

    /** The route's {@code retryWhile}: true to try the failed step again. */
    @Override
    public boolean matches(Exchange exchange) {
        return retryable(failure(exchange)) != null && attempt(exchange) <= config().maxAttempts()
                && exchange.getContext().getStatus().isStarted();
    }

    /**
     * Whether the route would retry the step if it failed now with {@code failure}: for a step that must record a
     * failure itself when no retry follows (one endpoint of several).
     */
    public boolean wouldRetry(Exchange exchange, Throwable failure) {
        int next = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        return retryable(failure) != null && next <= config().maxAttempts() && exchange.getContext().getStatus().isStarted();
    }

    /** The route's {@code onExceptionOccurredRef}: prepares and records the retry, when there will be one. */
    @Override
    public void process(Exchange exchange) {
        TransientFailure failure = retryable(failure(exchange));
        RetrainRun run = exchange.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
        int attempt = attempt(exchange);
        if (failure == null || run == null || attempt > config().maxAttempts()) {
            return;
        }
        Duration wait = delayBefore(attempt, failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        String cause = Redaction.redact(((Throwable) failure).getMessage());
        run.getRetries().merge(run.getStep(), 1, Integer::sum);
        run.setLastRetryCause(cause);
        try (RunMdc ignored = RunMdc.of(run)) {
            resources.runStore().save(run);
            LOG.warn("Retry {} of {} for step '{}' in {}: {}", attempt, config().maxAttempts(),
                    run.getStep().description(), Durations.format(wait), cause);
        }
        resources.listeners().forEach(listener -> listener.onRetry(run, run.getStep(), (Throwable) failure));
    }

    /**
     * Exponential backoff with "equal jitter" (half fixed, half random, so retries of many runs spread out), never
     * shorter than what the service asked for, never longer than the configured cap.
     */
    Duration delayBefore(int attempt, TransientFailure failure) {
        long initial = config().initialDelay().toMillis();
        long cap = config().maxDelay().toMillis();
        long exponential = Math.min(cap, initial << Math.min(attempt - 1, 30));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        long asked = failure.retryAfter().map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.min(cap, Math.max(jittered, asked)));
    }

    private RetryConfig config() {
        return resources.config().retry();
    }

    /** The number of the retry about to be decided (1 for the first), counted since the step last succeeded. */
    private static int attempt(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
    }

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static TransientFailure retryable(Throwable failure) {
        return failure instanceof TransientFailure transientFailure && transientFailure.isRetryable()
                ? transientFailure : null;
    }
}

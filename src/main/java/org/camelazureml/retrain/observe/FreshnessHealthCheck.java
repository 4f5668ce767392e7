package org.camelazureml.retrain.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;

/**
 * Readiness check {@code retrain-freshness-<pipeline>}: DOWN when the pipeline's last successful update (a newly
 * trained model on any of its endpoints) is older than its {@code health.max-age}, or, when the run store knows of
 * none, when this process has run longer than that without one. Always UP when no max-age is set. Not a liveness
 * check: restarting the process would not retrain anything.
 */
public class FreshnessHealthCheck extends AbstractHealthCheck {

    public static final String ID_PREFIX = "retrain-freshness-";

    private final PipelineConfig pipeline;
    private final LastUpdates lastUpdates;
    private final Clock clock;

    public FreshnessHealthCheck(PipelineConfig pipeline, LastUpdates lastUpdates, Clock clock) {
        super(Observability.GROUP, ID_PREFIX + pipeline.name());
        this.pipeline = pipeline;
        this.lastUpdates = lastUpdates;
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant now = clock.instant();
        Duration maxAge = pipeline.healthMaxAge();
        Optional<Instant> last = lastUpdates.lastUpdate(pipeline.name());
        builder.detail("pipeline", pipeline.name());
        last.ifPresent(at -> builder.detail("last.update", at.toString())
                .detail("last.update.age.seconds", Duration.between(at, now).toSeconds()));
        if (maxAge == null) {
            builder.detail("max.age", "unset").up();
            return;
        }
        builder.detail("max.age", Durations.format(maxAge));
        Duration age = Duration.between(last.orElse(lastUpdates.since()), now);
        if (age.compareTo(maxAge) <= 0) {
            builder.up();
        } else if (last.isPresent()) {
            builder.message("pipeline '" + pipeline.name() + "' is stale: its last successful update was "
                    + Durations.format(age) + " ago (" + last.get().truncatedTo(ChronoUnit.SECONDS) + "), longer than its health.max-age of "
                    + Durations.format(maxAge)).down();
        } else {
            builder.message("pipeline '" + pipeline.name() + "' is stale: no successful update is recorded, and this"
                    + " process has run for " + Durations.format(age) + ", longer than its health.max-age of "
                    + Durations.format(maxAge)).down();
        }
    }
}

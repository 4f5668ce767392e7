package org.camelazureml.retrain.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.notify.RunListener;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;

/**
 * The pipeline's metrics, in a Micrometer registry (Prometheus names in brackets): runs by outcome
 * ({@code retrain_runs_total}), step durations ({@code retrain_step_duration_seconds}), the training job's time
 * queued and running ({@code retrain_job_queue_seconds}, {@code retrain_job_run_seconds}), retries by cause
 * ({@code retrain_retries_total}), and, read when scraped, each endpoint's last update
 * ({@code retrain_last_update_timestamp_seconds}, {@code retrain_last_update_age_seconds}) and each model output's
 * latest size ({@code retrain_model_size_bytes}). Labels hold configured names and fixed sets only, never free text or
 * secrets. Work happens when a run ends or retries, never while a run polls.
 */
public class RetrainMetrics implements RunListener {

    /** Histogram buckets of the step and job timers: from quick calls to a day-long training job. */
    static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
        Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(24)};

    /** The pipeline label of an outcome for a pipeline that is not configured (a caller's wrong name). */
    static final String UNKNOWN_PIPELINE = "unknown";
    /** The kind label of an outcome without a run: a skipped trigger, or one refused before a run began. */
    static final String NO_RUN = "NONE";

    private final MeterRegistry registry;
    private final RetrainConfig config;

    public RetrainMetrics(MeterRegistry registry, RetrainConfig config, LastUpdates lastUpdates, Clock clock) {
        this.registry = registry;
        this.config = config;
        for (PipelineConfig pipeline : config.pipelines().values()) {
            String name = pipeline.name();
            for (String status : List.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED")) {
                runs(name, "TRAINING", status); // present from the start, so increase() sees the first one
            }
            for (EndpointConfig endpoint : pipeline.scoring().endpoints()) {
                Function<LastUpdates, Optional<Instant>> last = updates -> updates.lastUpdate(name, endpoint.name());
                Gauge.builder("retrain.last.update.timestamp", lastUpdates,
                                updates -> last.apply(updates).map(at -> at.toEpochMilli() / 1000.0).orElse(Double.NaN))
                        .description("When the endpoint last got a newly trained model (Unix time; NaN: never)")
                        .baseUnit("seconds").tags("pipeline", name, "endpoint", endpoint.name()).strongReference(true)
                        .register(registry);
                Gauge.builder("retrain.last.update.age", lastUpdates, updates -> last.apply(updates)
                                .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0).orElse(Double.NaN))
                        .description("Time since the endpoint last got a newly trained model (NaN: never)")
                        .baseUnit("seconds").tags("pipeline", name, "endpoint", endpoint.name()).strongReference(true)
                        .register(registry);
            }
            for (String output : pipeline.training().modelOutputs()) {
                Gauge.builder("retrain.model.size", lastUpdates, updates -> {
                            var size = updates.modelSize(name, output);
                            return size.isPresent() ? size.getAsLong() : Double.NaN;
                        })
                        .description("Size of the latest trained model fetched from the output, deployed or not"
                                + " (NaN: none yet)")
                        .baseUnit("bytes").tags("pipeline", name, "output", output).strongReference(true)
                        .register(registry);
            }
        }
    }

    @Override
    public void onOutcome(RunEvent event, RetrainRun run) {
        String pipeline = pipelineLabel(event.pipeline());
        runs(pipeline, event.kind() == null ? NO_RUN : event.kind(), event.status()).increment();
        RunEvent.Timings timings = event.timings();
        if (timings == null || "INTERRUPTED".equals(event.status())) {
            return; // an interrupted run resumes later and is timed when it ends
        }
        if (timings.stepSeconds() != null) {
            timings.stepSeconds().forEach((step, seconds) -> {
                if (seconds != null) {
                    timer("retrain.step.duration", "Time a run spent in each step", pipeline, "step", step)
                            .record(duration(seconds));
                }
            });
        }
        if (timings.jobQueueSeconds() != null) {
            timer("retrain.job.queue", "Time the training job waited in NotStarted before it ran", pipeline)
                    .record(duration(timings.jobQueueSeconds()));
        }
        if (timings.jobRunSeconds() != null) {
            timer("retrain.job.run", "Time the training job ran, from Running to its end", pipeline)
                    .record(duration(timings.jobRunSeconds()));
        }
    }

    @Override
    public void onRetry(RetrainRun run, PipelineStep step, Throwable cause) {
        Counter.builder("retrain.retries").description("Retries of a step after a transient failure, by cause")
                .tags("pipeline", pipelineLabel(run.getPipeline()), "step", step.name(), "cause",
                        RetryCause.of(cause).label())
                .register(registry).increment();
    }

    private Counter runs(String pipeline, String kind, String status) {
        return Counter.builder("retrain.runs").description("Run outcomes and skipped triggers, by status")
                .tags("pipeline", pipeline, "kind", kind.toUpperCase(Locale.ROOT), "status", status)
                .register(registry);
    }

    private Timer timer(String name, String description, String pipeline, String... tags) {
        return Timer.builder(name).description(description).tags("pipeline", pipeline).tags(tags)
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** A configured pipeline's name, else {@value #UNKNOWN_PIPELINE}: a label never takes a caller's free text. */
    private String pipelineLabel(String pipeline) {
        return pipeline != null && config.pipelines().containsKey(pipeline) ? pipeline : UNKNOWN_PIPELINE;
    }

    private static Duration duration(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}

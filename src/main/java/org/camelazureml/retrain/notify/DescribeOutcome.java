package org.camelazureml.retrain.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunJson;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.steps.RunStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how a run ended into a {@link RunEvent}: it becomes the exchange body (the reply to whoever called
 * {@code direct:retrain}; header {@value #STATUS} carries the status for routing), and the run listeners (metrics)
 * are told. {@link #toJson} is the form the notification endpoints receive.
 */
public class DescribeOutcome implements Processor {

    /** Header with the event's status, for content-based routing in an edited route. */
    public static final String STATUS = "retrainStatus";

    private static final Logger LOG = LoggerFactory.getLogger(DescribeOutcome.class);

    private final PipelineResources resources;

    public DescribeOutcome(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public void process(Exchange exchange) {
        RetrainRun run = exchange.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
        String summary = exchange.getProperty(CreateRun.SUMMARY, String.class);
        RunEvent event = Boolean.TRUE.equals(exchange.getProperty(CreateRun.SKIPPED, Boolean.class))
                ? skipped(exchange.getProperty(CreateRun.PIPELINE, String.class),
                        exchange.getProperty(CreateRun.IN_FLIGHT_RUN, RetrainRun.class), summary)
                : run == null ? notStarted(exchange.getProperty(CreateRun.PIPELINE, String.class), summary)
                : describe(run, summary);
        exchange.getMessage().setHeader(STATUS, event.status());
        exchange.getMessage().setBody(event);
        for (RunListener listener : resources.listeners()) {
            try {
                listener.onOutcome(event, run);
            } catch (RuntimeException e) {
                LOG.warn("A run listener failed on the outcome of {}: {}", event.runId(), e.getMessage());
            }
        }
    }

    /** The event as the notification endpoints receive it. */
    public String toJson(RunEvent event) {
        return RunJson.toJson(event);
    }

    RunEvent describe(RetrainRun run, String summary) {
        boolean ended = run.getStatus() != RunStatus.RUNNING;
        String status = ended ? run.getStatus().name() : "INTERRUPTED";
        boolean failed = ended && run.getStatus() != RunStatus.SUCCEEDED;
        List<RunEvent.Model> models = run.getModels().stream().map(model -> new RunEvent.Model(model.output(),
                model.relativeLocation(), model.sizeBytes(), model.sha256())).toList();
        List<String> updated = run.getUpdates().stream().filter(update -> update.status() == UpdateStatus.UPDATED)
                .map(RetrainRun.EndpointUpdate::endpoint).toList();
        List<RunEvent.EndpointFailure> notUpdated = run.getUpdates().stream()
                .filter(update -> update.status() == UpdateStatus.FAILED)
                .map(update -> new RunEvent.EndpointFailure(update.endpoint(), update.error())).toList();
        RunEvent.Gate gate = run.getGate() == null ? null : new RunEvent.Gate(run.getGate().metric(),
                run.getGate().value(), run.getGate().liveValue(), run.getGate().passed(), run.getGate().reason());
        return new RunEvent(RunEvent.SCHEMA, run.getPipeline(), run.getRunId(), run.getKind().name(),
                run.getRollbackOf(), run.getJobId(), status, failed ? run.getStep().name() : null,
                failed ? run.getError() : null, summary, models, updated, notUpdated, gate, timings(run), null,
                run.getOwner(), resources.clock().instant());
    }

    private RunEvent skipped(String pipeline, RetrainRun inFlight, String summary) {
        return new RunEvent(RunEvent.SCHEMA, pipeline, null, null, null, inFlight == null ? null : inFlight.getJobId(),
                "SKIPPED", null, null, summary, List.of(), List.of(), List.of(), null, null,
                inFlight == null ? null : inFlight.getRunId(), resources.config().node().name(),
                resources.clock().instant());
    }

    private RunEvent notStarted(String pipeline, String summary) {
        return new RunEvent(RunEvent.SCHEMA, pipeline, null, null, null, null, "FAILED", null, summary, summary,
                List.of(), List.of(), List.of(), null, null, null, resources.config().node().name(),
                resources.clock().instant());
    }

    private static RunEvent.Timings timings(RetrainRun run) {
        Map<String, Double> steps = new LinkedHashMap<>();
        for (PipelineStep step : PipelineStep.values()) {
            Instant to = run.stepEndedAt(step);
            if (step != PipelineStep.DONE && to != null) {
                steps.put(step.name(), seconds(run.getStepStartedAt().get(step), to));
            }
        }
        Double queue = run.getStartedAt() == null ? null
                : seconds(run.getStartedAt(), run.getJobRunningAt() != null ? run.getJobRunningAt() : run.getJobEndedAt());
        Double running = run.getJobRunningAt() == null || run.getJobEndedAt() == null ? null
                : seconds(run.getJobRunningAt(), run.getJobEndedAt());
        return new RunEvent.Timings(run.getCreatedAt(), run.getFinishedAt(),
                run.getFinishedAt() == null ? null : seconds(run.getCreatedAt(), run.getFinishedAt()), steps, queue,
                running);
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}

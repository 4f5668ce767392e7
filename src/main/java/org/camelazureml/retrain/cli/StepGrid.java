package org.camelazureml.retrain.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;

/**
 * One run as a row of step cells, the way Airflow's grid shows tasks: {@code ok 1.2s} for a step done,
 * {@code running}, {@code FAILED}/{@code CANCELLED}/{@code REJECTED} where the run ended, blank where it never got,
 * and {@code +N} retries.
 */
final class StepGrid {

    static final PipelineStep[] STEPS = {PipelineStep.SUBMIT, PipelineStep.START, PipelineStep.POLL,
        PipelineStep.FETCH, PipelineStep.GATE, PipelineStep.UPDATE};

    private StepGrid() {
    }

    /** Step name to its cell text, in pipeline order. */
    static Map<PipelineStep, String> cells(RetrainRun run) {
        Map<PipelineStep, String> cells = new LinkedHashMap<>();
        for (PipelineStep step : STEPS) {
            cells.put(step, cell(run, step));
        }
        return cells;
    }

    private static String cell(RetrainRun run, PipelineStep step) {
        Instant started = run.getStepStartedAt().get(step);
        if (started == null) {
            return "";
        }
        int retries = run.getRetries().getOrDefault(step, 0);
        String suffix = retries > 0 ? " +" + retries : "";
        if (run.getStep() == step) {
            return (run.getStatus() == RunStatus.RUNNING ? "running" : run.getStatus().name()) + suffix;
        }
        Instant ended = run.stepEndedAt(step);
        String took = ended == null ? "" : " " + Durations.format(Duration.between(started, ended));
        return "ok" + took + suffix;
    }

    static String total(RetrainRun run) {
        Instant end = run.getFinishedAt() != null ? run.getFinishedAt() : run.getUpdatedAt();
        return end == null ? "" : Durations.format(Duration.between(run.getCreatedAt(), end));
    }
}

package org.camelazureml.retrain.steps;

import org.camelazureml.retrain.state.RetrainRun;
import org.slf4j.MDC;

/**
 * Puts a run's pipeline, run id and job id into the logging MDC for the duration of a step. Steps can run on any
 * thread (waiting between polls hands the run to a scheduler thread), so each step sets and clears it itself.
 */
final class RunMdc implements AutoCloseable {

    static final String PIPELINE = "pipeline";
    static final String RUN_ID = "runId";
    static final String JOB_ID = "jobId";

    private RunMdc() {
    }

    static RunMdc of(RetrainRun run) {
        refresh(run);
        return new RunMdc();
    }

    /** Call after the job id becomes known so later lines of the same step carry it. */
    static void refresh(RetrainRun run) {
        MDC.put(PIPELINE, run.getPipeline());
        MDC.put(RUN_ID, run.getRunId());
        if (run.getJobId() != null) {
            MDC.put(JOB_ID, run.getJobId());
        } else {
            MDC.remove(JOB_ID);
        }
    }

    @Override
    public void close() {
        MDC.remove(PIPELINE);
        MDC.remove(RUN_ID);
        MDC.remove(JOB_ID);
    }
}

package org.camelazureml.retrain.notify;

import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;

/**
 * Told what runs do, for metrics and the like: a run's outcome (with the event the notification endpoints get) and
 * every retry. Called on the routing thread: keep it quick and never throw.
 */
public interface RunListener {

    default void onOutcome(RunEvent event, RetrainRun run) {
    }

    /** A step's remote call failed transiently and will be tried again. */
    default void onRetry(RetrainRun run, PipelineStep step, Throwable cause) {
    }
}

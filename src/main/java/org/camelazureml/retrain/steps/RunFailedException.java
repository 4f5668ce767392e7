package org.camelazureml.retrain.steps;

import org.camelazureml.retrain.state.RunStatus;

/** A run ended without deploying a model, for a reason the pipeline understands (not a bug). */
public class RunFailedException extends RuntimeException {

    private final RunStatus outcome;

    public RunFailedException(String message) {
        this(message, RunStatus.FAILED, null);
    }

    public RunFailedException(String message, RunStatus outcome, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    /** FAILED, or CANCELLED when the training job was cancelled. */
    public RunStatus outcome() {
        return outcome;
    }
}

package org.camelazureml.retrain.state;

/** How a run stands. Only RUNNING is not final. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The training job was cancelled: by its timeout, or by someone on the service side. Nothing was deployed. */
    CANCELLED,
    /** The model trained but failed the quality gate: archived with its metrics, not deployed. */
    REJECTED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}

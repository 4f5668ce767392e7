package org.camelazureml.retrain.state;

/** The steps of a run in order; a run records the step it is in (or, once ended, the one it ended in). */
public enum PipelineStep {
    SUBMIT("submit training job"),
    START("start training job"),
    POLL("poll training job"),
    FETCH("fetch trained model"),
    GATE("check quality gate"),
    UPDATE("update scoring resource"),
    DONE("done");

    private final String description;

    PipelineStep(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}

package org.camelazureml.retrain.state;

/** What a run does: train and deploy a new model, or put an earlier model back on an endpoint. */
public enum RunKind {
    TRAINING,
    ROLLBACK
}

package org.camelazureml.retrain.config;

/**
 * A pipeline's quality gate: the metric to read from the training job's evaluation output (a {@code .csv} as Azure
 * ML's Evaluate Model writes it), whether higher is better, an absolute threshold the new model must meet (null:
 * none), and the least it must improve on the model live now (0: not worse).
 */
public record GateConfig(String metricsOutput, String metric, boolean higherIsBetter, Double threshold,
        double minImprovement) {
}

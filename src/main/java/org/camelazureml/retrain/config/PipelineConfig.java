package org.camelazureml.retrain.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything one retraining pipeline needs, validated. Secrets inside print as {@code ******}. {@code gate} is null
 * when the pipeline deploys every model that trains successfully. {@code healthMaxAge} is null when no age of the
 * last successful update makes the pipeline's health check report DOWN ({@code retrain.health.max-age} unset).
 */
public record PipelineConfig(
        String name,
        TrainingConfig training,
        StorageConnection storage,
        ScoringConfig scoring,
        GateConfig gate,
        Duration schedulePeriod,
        Duration scheduleInitialDelay,
        Duration pollInterval,
        Duration jobTimeout,
        Path archiveDir,
        Duration healthMaxAge) {

    public boolean hasGate() {
        return gate != null;
    }
}

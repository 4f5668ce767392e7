package org.camelazureml.retrain.config;

import java.nio.file.Path;
import java.time.Duration;

/** Everything one retraining pipeline needs, validated. Secrets inside print as {@code ******}. */
public record PipelineConfig(
        String name,
        TrainingConfig training,
        StorageConnection storage,
        ScoringConfig scoring,
        Duration schedulePeriod,
        Duration scheduleInitialDelay,
        Duration pollInterval,
        Duration jobTimeout,
        Path archiveDir) {
}

package org.camelazureml.retrain.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/** The whole {@code retrain.*} configuration: the pipelines by name, and where run state is kept. */
public record RetrainConfig(Map<String, PipelineConfig> pipelines, Path dataDir) {

    public static final String DEFAULT_PIPELINE = "default";

    public PipelineConfig pipeline(String name) {
        PipelineConfig pipeline = pipelines.get(name);
        if (pipeline == null) {
            throw new NoSuchElementException("no pipeline named '" + name + "' (configured: " + pipelines.keySet() + ")");
        }
        return pipeline;
    }
}

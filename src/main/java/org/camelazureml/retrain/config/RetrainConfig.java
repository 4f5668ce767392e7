package org.camelazureml.retrain.config;

import java.util.Map;
import java.util.NoSuchElementException;

/** The whole {@code retrain.*} configuration: the pipelines by name, and what they share. */
public record RetrainConfig(Map<String, PipelineConfig> pipelines, StoreConfig store, RetryConfig retry,
        NodeConfig node) {

    public static final String DEFAULT_PIPELINE = "default";

    public PipelineConfig pipeline(String name) {
        PipelineConfig pipeline = pipelines.get(name);
        if (pipeline == null) {
            throw new NoSuchElementException("no pipeline named '" + name + "' (configured: " + pipelines.keySet() + ")");
        }
        return pipeline;
    }
}

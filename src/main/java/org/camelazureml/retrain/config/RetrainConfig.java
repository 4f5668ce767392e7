package org.camelazureml.retrain.config;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The whole {@code retrain.*} configuration: the valid pipelines by name, the pipelines that were left out because
 * their definition is wrong (with every problem), and what all pipelines share.
 */
public record RetrainConfig(Map<String, PipelineConfig> pipelines, Map<String, List<String>> invalidPipelines,
        StoreConfig store, RetryConfig retry, NodeConfig node) {

    public static final String DEFAULT_PIPELINE = "default";

    public PipelineConfig pipeline(String name) {
        PipelineConfig pipeline = pipelines.get(name);
        if (pipeline == null) {
            List<String> problems = invalidPipelines.get(name);
            if (problems != null) {
                throw new InvalidConfigurationException(problems);
            }
            throw new NoSuchElementException("no pipeline named '" + name + "' (configured: " + pipelines.keySet() + ")");
        }
        return pipeline;
    }
}

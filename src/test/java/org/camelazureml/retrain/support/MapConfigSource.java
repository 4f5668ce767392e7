package org.camelazureml.retrain.support;

import org.camelazureml.retrain.config.ConfigSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A {@link ConfigSource} over a plain map, for tests of the loader alone. */
public class MapConfigSource implements ConfigSource {

    private final Map<String, String> values = new LinkedHashMap<>();

    public MapConfigSource with(String key, String value) {
        values.put(key, value);
        return this;
    }

    public MapConfigSource without(String key) {
        values.remove(key);
        return this;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    @Override
    public Set<String> keysStartingWith(String prefix) {
        Set<String> keys = new TreeSet<>();
        values.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        return keys;
    }

    /** A complete, valid configuration for the default pipeline. */
    public static MapConfigSource valid() {
        return new MapConfigSource()
                .with("retrain.training.endpoint",
                        "https://ussouthcentral.services.azureml.net/workspaces/ws1/services/train1/jobs?api-version=2.0")
                .with("retrain.training.api-key", "training-key-123")
                .with("retrain.training.inputs.input1", "trainingdata/train.csv")
                .with("retrain.training.global-parameters.Learning rate", "0.1")
                .with("retrain.storage.connection-string",
                        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net")
                .with("retrain.scoring.update-resource-endpoint",
                        "https://management.azureml.net/workspaces/ws1/webservices/score1/endpoints/retrained")
                .with("retrain.scoring.api-key", "scoring-key-456")
                .with("retrain.scoring.trained-model-name", "Census Model [trained model]");
    }
}

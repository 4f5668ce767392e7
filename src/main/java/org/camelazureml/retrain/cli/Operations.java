package org.camelazureml.retrain.cli;

import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.config.CamelConfigSource;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.config.RetrainConfigLoader;
import org.camelazureml.retrain.state.RunStore;
import org.camelazureml.retrain.state.RunStores;

/**
 * What the read-only commands need: the configuration, read the way the application reads it (files, system
 * properties, environment), and the run store. No routes start and nothing is sent anywhere.
 */
final class Operations implements AutoCloseable {

    private final RetrainConfig config;
    private final RunStore store;

    private Operations(RetrainConfig config, RunStore store) {
        this.config = config;
        this.store = store;
    }

    static Operations open(Path configFile) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext(false)) {
            camel.getPropertiesComponent().setLocation(RetrainRuntime.propertyLocations(configFile));
            RetrainConfig config = RetrainConfigLoader.load(new CamelConfigSource(camel.getPropertiesComponent()));
            return new Operations(config, RunStores.open(config.store()));
        }
    }

    RetrainConfig config() {
        return config;
    }

    RunStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}

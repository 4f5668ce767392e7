package org.camelazureml.retrain.state;

import org.camelazureml.retrain.config.StoreConfig;

/** Opens the run store the configuration asks for. */
public final class RunStores {

    private RunStores() {
    }

    public static RunStore open(StoreConfig config) {
        if (config.isJdbc()) {
            throw new UnsupportedOperationException("retrain.store.type=jdbc is not available in this build");
        }
        return new FileRunStore(config.dataDir());
    }
}

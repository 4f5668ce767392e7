package org.camelazureml.retrain.state;

import org.camelazureml.retrain.config.StoreConfig;

/** Opens the run store the configuration asks for. */
public final class RunStores {

    private RunStores() {
    }

    public static RunStore open(StoreConfig config) {
        if (config.isJdbc()) {
            return JdbcRunStore.connect(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(),
                    config.tablePrefix());
        }
        return new FileRunStore(config.dataDir());
    }
}

package org.camelazureml.retrain.config;

import java.nio.file.Path;

/**
 * Where run state lives: {@code file} (the embedded default, under {@code dataDir}) or {@code jdbc} (a shared
 * database, for several nodes).
 */
public record StoreConfig(String type, Path dataDir, String jdbcUrl, String jdbcUser, Secret jdbcPassword,
        String tablePrefix) {

    public static final String FILE = "file";
    public static final String JDBC = "jdbc";

    public boolean isJdbc() {
        return JDBC.equals(type);
    }
}

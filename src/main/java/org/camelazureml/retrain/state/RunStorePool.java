package org.camelazureml.retrain.state;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.config.Secret;

/** The connection pool {@link JdbcRunStore#connect} opens, and the one clear message when it cannot connect. */
final class RunStorePool {

    static final String POOL_NAME = "retrain-run-store";
    /** A store does a few short statements per run step; a handful of connections serve many runs. */
    private static final int MAX_CONNECTIONS = 4;

    private RunStorePool() {
    }

    /** Opens the pool and one connection, so a wrong URL, user or password fails here, at start. */
    static HikariDataSource open(String jdbcUrl, String user, Secret password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the run store needs a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://127.0.0.1:5432/retrain, not '" + Redaction.redact(jdbcUrl) + "'");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password.reveal());
        }
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            String reason = Redaction.redact(databaseMessage(e));
            throw new RunStoreException("cannot connect to the run store database " + Redaction.redact(jdbcUrl)
                    + " as user " + user + ": " + reason + (reason.endsWith(".") ? "" : ".")
                    + " Check the URL, user and password, and that PostgreSQL runs and accepts connections there.", e);
        }
    }

    /** The driver's own words (host, port, reason) rather than the pool's wrapper around them. */
    private static String databaseMessage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return cause.getMessage();
            }
        }
        return error.getMessage();
    }
}

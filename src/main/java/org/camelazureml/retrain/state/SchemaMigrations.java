package org.camelazureml.retrain.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the run store's tables to the version this build knows, at start. All of it runs in one transaction that
 * first takes an advisory lock: nodes starting at once wait for each other, the first migrates, the others find the
 * work done. A failed migration rolls back whole.
 */
final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private final RunStoreSql sql;

    SchemaMigrations(RunStoreSql sql) {
        this.sql = sql;
    }

    /** Applies the pending migrations; returns the schema version now in force. */
    int apply(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            // Read committed: after waiting for the lock, the version read must see what the node before us committed.
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            connection.setAutoCommit(false);
            try {
                int version = migrate(connection);
                connection.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
                connection.setTransactionIsolation(isolation);
            }
        }
    }

    private int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.lockMigrations());
            statement.execute(sql.createSchemaVersionTable());
            int current = currentVersion(statement);
            for (RunStoreSql.Migration migration : sql.migrations()) {
                if (migration.version() > current) {
                    for (String ddl : migration.statements()) {
                        statement.execute(ddl);
                    }
                    recordVersion(connection, migration);
                    current = migration.version();
                    LOG.info("Run store schema {}: applied version {} ({})", sql.runs, current, migration.description());
                }
            }
            return current;
        }
    }

    private int currentVersion(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql.currentVersion())) {
            result.next();
            return result.getInt(1);
        }
    }

    private void recordVersion(Connection connection, RunStoreSql.Migration migration) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.recordVersion())) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.executeUpdate();
        }
    }
}

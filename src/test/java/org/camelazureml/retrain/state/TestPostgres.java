package org.camelazureml.retrain.state;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL server the JDBC store tests run against: 127.0.0.1:5432, trust authentication, user postgres,
 * database test. It runs on every developer machine and in CI; its absence is a test failure, not a skip.
 */
public final class TestPostgres {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private TestPostgres() {
    }

    public static void requireReachable() {
        try (Connection ignored = connect()) {
            // reachable
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + URL + " as user " + USER + " (" + e.getMessage() + ")."
                    + " The JDBC run store tests need it; start it with"
                    + " 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'.", e);
        }
    }

    /** Tables of their own for each test class or test, so parallel runs and leftovers never meet. */
    public static String newTablePrefix() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    }

    public static void dropTables(String tablePrefix) throws SQLException {
        try (Connection connection = connect(); Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS " + tablePrefix + "runs, " + tablePrefix + "schema_version");
        }
    }

    /** The rows of a query, each as its columns' values in order. */
    static List<List<Object>> query(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int column = 1; column <= columns; column++) {
                        row.add(result.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL + "?connectTimeout=5", USER, null);
    }
}

package org.camelazureml.retrain.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.config.Secret;

/**
 * The shared-database run store: one row per run in PostgreSQL, so that several nodes share their pipelines' runs
 * (HA). The row holds the whole record as {@code jsonb} (the {@link RunJson} form, which every read returns) and, as
 * columns, what the store queries by: pipeline, run id, status, step, job id, owner, created and updated times.
 * <p>
 * {@link #begin} is atomic across nodes through a partial unique index (one RUNNING row per pipeline); {@link #claim}
 * is one conditional UPDATE. The tables are created and migrated at start (see {@link SchemaMigrations}).
 * <p>
 * Clock: {@code updatedAt} is stamped with this JVM's clock, as callers compute claim's {@code staleBefore} with
 * theirs, so nodes' clocks must agree (NTP) to well within the grace after which a run counts as stale. Stamps are
 * cut to microseconds, PostgreSQL's precision, so the column and the record hold the same instant.
 */
public class JdbcRunStore implements RunStore {

    public static final String DEFAULT_TABLE_PREFIX = "retrain_";

    private static final String UNIQUE_VIOLATION = "23505";
    /** A lost begin retries only when the winner ended before we could read it; more than a few means trouble. */
    private static final int BEGIN_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final RunStoreSql sql;
    private final Clock clock;
    /** The pool {@link #connect} opened, closed with the store; null when the host lent its DataSource. */
    private final HikariDataSource ownPool;

    /** A store on the host's DataSource with the default table prefix; creates or migrates the tables. */
    public JdbcRunStore(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE_PREFIX);
    }

    public JdbcRunStore(DataSource dataSource, String tablePrefix) {
        this(dataSource, tablePrefix, Clock.systemUTC());
    }

    public JdbcRunStore(DataSource dataSource, String tablePrefix, Clock clock) {
        this(dataSource, new RunStoreSql(tablePrefix), clock, null);
    }

    private JdbcRunStore(DataSource dataSource, RunStoreSql sql, Clock clock, HikariDataSource ownPool) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sql = sql;
        this.clock = clock;
        this.ownPool = ownPool;
        try {
            new SchemaMigrations(sql).apply(dataSource);
        } catch (SQLException e) {
            throw failure("cannot create or migrate the run store tables", e);
        }
    }

    /**
     * Opens a connection pool to PostgreSQL and returns a started store, its tables created or migrated.
     *
     * @param password null when the server needs none (trust authentication)
     * @param tablePrefix null for {@value #DEFAULT_TABLE_PREFIX}
     */
    public static JdbcRunStore connect(String jdbcUrl, String user, Secret password, String tablePrefix) {
        RunStoreSql sql = new RunStoreSql(tablePrefix == null ? DEFAULT_TABLE_PREFIX : tablePrefix);
        HikariDataSource pool = RunStorePool.open(jdbcUrl, user, password);
        try {
            return new JdbcRunStore(pool, sql, Clock.systemUTC(), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public Optional<RetrainRun> begin(RetrainRun run) {
        run.setStatus(RunStatus.RUNNING);
        for (int attempt = 1; attempt <= BEGIN_ATTEMPTS; attempt++) {
            try {
                write(sql.insertRun(), run);
                return Optional.empty();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw failure("cannot begin run " + name(run), e);
                }
            }
            // Refused by the one-RUNNING-per-pipeline index (another run is in flight) or by the key (id taken).
            Optional<RetrainRun> inFlight = unfinished(run.getPipeline());
            if (inFlight.isPresent()) {
                return inFlight;
            }
            if (find(run.getPipeline(), run.getRunId()).isPresent()) {
                throw new RunStoreException("cannot begin run " + name(run) + " in " + sql.runs
                        + ": that run id is recorded already and has ended; a new run needs a new id");
            }
            // The run in flight ended between our insert and our read: the pipeline is free again, try once more.
        }
        throw new RunStoreException("cannot begin run " + name(run) + " in " + sql.runs + ": the pipeline's run in"
                + " flight kept changing over " + BEGIN_ATTEMPTS + " attempts");
    }

    @Override
    public void save(RetrainRun run) {
        try {
            write(sql.upsertRun(), run);
        } catch (SQLException e) {
            throw saveFailure(run, e);
        }
    }

    /**
     * {@link #save}, committed without waiting for PostgreSQL to flush its write-ahead log ({@code synchronous_commit}
     * off for this transaction only): still atomic and at once visible to every node, but a crash of the database
     * server within a fraction of a second (its {@code wal_writer_delay}) may undo it, which a progress save allows.
     */
    @Override
    public void saveProgress(RetrainRun run) {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement unflushed = connection.createStatement()) {
                    unflushed.execute("SET LOCAL synchronous_commit TO OFF"); // ends with the transaction
                }
                write(connection, sql.upsertRun(), run);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackAfter(connection, e);
                throw e;
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw saveFailure(run, e);
        }
    }

    /** Rolls back after {@code failure}; a failed rollback (a broken connection) is kept with it, not instead of it. */
    private static void rollbackAfter(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private RunStoreException saveFailure(RetrainRun run, SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) { // the key is the upsert's own, so: the one-RUNNING index
            return new RunStoreException("cannot record run " + name(run) + " as RUNNING in " + sql.runs
                    + ": its pipeline has another run in flight. Start runs with begin(), which hands that run"
                    + " back instead.", e);
        }
        return failure("cannot record run " + name(run), e);
    }

    @Override
    public Optional<RetrainRun> find(String pipeline, String runId) {
        return read("run " + pipeline + "/" + runId, sql.findRun(), pipeline, runId).stream().findFirst();
    }

    @Override
    public List<RetrainRun> list(String pipeline, int limit) {
        return read("runs of pipeline " + pipeline, sql.listRuns(), pipeline, limit);
    }

    @Override
    public Optional<RetrainRun> unfinished(String pipeline) {
        return read("the run in flight of pipeline " + pipeline, sql.unfinishedRun(), pipeline).stream().findFirst();
    }

    /** Claiming a run one already owns also refreshes its {@code updatedAt}, as a save would. */
    @Override
    public boolean claim(String pipeline, String runId, String owner, Instant staleBefore) {
        Objects.requireNonNull(owner, "owner");
        Instant stamp = now();
        try (Connection connection = connection();
                PreparedStatement update = connection.prepareStatement(sql.claimRun())) {
            update.setString(1, owner);
            setInstant(update, 2, stamp);
            update.setString(3, RunJson.writeValue(stamp));
            setInstant(update, 4, staleBefore);
            update.setString(5, pipeline);
            update.setString(6, runId);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("cannot claim run " + pipeline + "/" + runId + " for " + owner, e);
        }
    }

    /** Closes the connection pool {@link #connect} opened; a host's DataSource stays open. */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    /** Stamps {@code updatedAt}, then writes the columns and the record's JSON from that same object. */
    private void write(String statement, RetrainRun run) throws SQLException {
        try (Connection connection = connection()) {
            write(connection, statement, run);
        }
    }

    private void write(Connection connection, String statement, RetrainRun run) throws SQLException {
        run.setUpdatedAt(now());
        try (PreparedStatement write = connection.prepareStatement(statement)) {
            write.setString(1, run.getPipeline());
            write.setString(2, run.getRunId());
            write.setString(3, run.getStatus() == null ? null : run.getStatus().name());
            write.setString(4, run.getStep() == null ? null : run.getStep().name());
            write.setString(5, run.getJobId());
            write.setString(6, run.getOwner());
            setInstant(write, 7, run.getCreatedAt());
            setInstant(write, 8, run.getUpdatedAt());
            write.setString(9, new String(RunJson.write(run), StandardCharsets.UTF_8));
            write.executeUpdate();
        }
    }

    private List<RetrainRun> read(String what, String query, Object... parameters) {
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<RetrainRun> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(RunJson.read(rows.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw failure("cannot read " + what, e);
        } catch (IOException e) {
            throw new RunStoreException("cannot read " + what + " from " + sql.runs + ": unreadable record: "
                    + e.getMessage(), e);
        }
    }

    /** Each statement is its own transaction, whatever the lending pool's default. */
    private Connection connection() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static String name(RetrainRun run) {
        return run.getPipeline() + "/" + run.getRunId();
    }

    private RunStoreException failure(String what, SQLException e) {
        return new RunStoreException(what + " in " + sql.runs + ": " + Redaction.redact(e.getMessage())
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}

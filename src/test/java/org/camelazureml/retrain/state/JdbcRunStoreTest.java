package org.camelazureml.retrain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.camelazureml.retrain.config.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The run store contract against the real PostgreSQL, then what only the database store has: schema, pool, SQL. */
class JdbcRunStoreTest extends RunStoreContract {

    /** This class's tables; the schema tests make their own, and every one is dropped at the end. */
    private static final String PREFIX = TestPostgres.newTablePrefix();
    private static final List<String> PREFIXES = new ArrayList<>(List.of(PREFIX));
    private static boolean reachable;

    @BeforeAll
    static void postgresRuns() {
        TestPostgres.requireReachable();
        reachable = true;
    }

    @AfterAll
    static void dropTables() throws Exception {
        if (reachable) {
            for (String prefix : PREFIXES) {
                TestPostgres.dropTables(prefix);
            }
        }
    }

    @Override
    protected RunStore createStore() {
        return connect(PREFIX);
    }

    @Test
    void createsItsTablesOnFirstStartAndLeavesThemOnTheNext() throws Exception {
        String prefix = freshPrefix();
        RetrainRun run = run("r-kept", Instant.parse("2026-11-28T00:00:00Z"));
        try (JdbcRunStore first = connect(prefix)) {
            first.save(run);
        }
        try (JdbcRunStore second = connect(prefix)) {
            assertThat(second.find(run.getPipeline(), "r-kept")).isPresent();
        }

        assertThat(TestPostgres.query("SELECT version, description FROM " + prefix + "schema_version"))
                .containsExactly(List.of(1, "runs table"));
        assertThat(TestPostgres.query("SELECT indexname FROM pg_indexes WHERE tablename = ? ORDER BY indexname",
                prefix + "runs")).flatExtracting(row -> row)
                .containsExactly(prefix + "runs_newest", prefix + "runs_one_running", prefix + "runs_pkey");
    }

    @Test
    void nodesStartingAtOnceMigrateOnce() throws Exception {
        String prefix = freshPrefix();

        for (JdbcRunStore started : atOnce(4, node -> connect(prefix))) {
            started.close();
        }

        assertThat(TestPostgres.query("SELECT version FROM " + prefix + "schema_version")).containsExactly(List.of(1));
    }

    @Test
    void ofTwoNodesBeginningAtOnceOneWinsAndTheOthersAreToldWhich() throws Exception {
        int begins = 16;
        try (JdbcRunStore nodeA = connect(PREFIX); JdbcRunStore nodeB = connect(PREFIX)) {
            List<Optional<RetrainRun>> results = atOnce(begins,
                    i -> (i % 2 == 0 ? nodeA : nodeB).begin(run("r-node-race-" + i, Instant.now())));

            String winner = nodeB.unfinished(pipeline()).orElseThrow().getRunId();
            assertThat(results).filteredOn(Optional::isPresent).hasSize(begins - 1)
                    .extracting(told -> told.orElseThrow().getRunId()).containsOnly(winner);
        }
    }

    @Test
    void ofNodesClaimingAQuietRunAtOnceOneWins() throws Exception {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        RetrainRun run = run("r-quiet", anHourAgo);
        try (HikariDataSource host = hostPool();
                RunStore thatNode = new JdbcRunStore(host, PREFIX, Clock.fixed(anHourAgo, ZoneOffset.UTC))) {
            thatNode.begin(run);
        }
        Instant staleBefore = Instant.now().minus(Duration.ofMinutes(1));

        List<Boolean> claimed = atOnce(8, i -> store.claim(run.getPipeline(), "r-quiet", "node-" + i, staleBefore));

        assertThat(claimed).containsOnlyOnce(true);
    }

    @Test
    void aRunIdIsBegunOnce() {
        RetrainRun run = run("r-once", Instant.now());
        store.begin(run);
        run.setStatus(RunStatus.SUCCEEDED);
        store.save(run);

        assertThatThrownBy(() -> store.begin(run)).isInstanceOf(RunStoreException.class)
                .hasMessageContaining("r-once").hasMessageContaining("recorded already and has ended");
    }

    @Test
    void savingASecondRunInFlightIsRefused() {
        store.begin(run("r-in-flight", Instant.now()));
        RetrainRun bypass = run("r-bypass", Instant.now());

        assertThatThrownBy(() -> store.save(bypass)).isInstanceOf(RunStoreException.class)
                .hasMessageContaining("r-bypass").hasMessageContaining("another run in flight");
        assertThat(store.unfinished(bypass.getPipeline())).get().extracting(RetrainRun::getRunId)
                .isEqualTo("r-in-flight");
    }

    @Test
    void theRecordAndItsColumnsAgree() throws Exception {
        RetrainRun run = run("r-columns", Instant.parse("2026-11-28T10:00:00.123Z"));
        run.setStep(PipelineStep.POLL);
        run.setJobId("job-42");
        store.begin(run);
        assertColumnsMatchRecord(run.getPipeline(), "r-columns");

        Instant ownerQuiet = Instant.now().plusSeconds(1);
        assertThat(store.claim(run.getPipeline(), "r-columns", "node-b", ownerQuiet)).isTrue();
        assertColumnsMatchRecord(run.getPipeline(), "r-columns");
        assertThat(store.find(run.getPipeline(), "r-columns").orElseThrow().getOwner()).isEqualTo("node-b");
    }

    @Test
    void stampsUpdatedAtWithItsOwnClock() throws Exception {
        Instant fixed = Instant.parse("2026-11-28T12:00:00.123456789Z");
        try (HikariDataSource host = hostPool(); RunStore clocked =
                new JdbcRunStore(host, PREFIX, Clock.fixed(fixed, ZoneOffset.UTC))) {
            RetrainRun run = run("r-clock", Instant.now());
            clocked.save(run);

            Instant microseconds = Instant.parse("2026-11-28T12:00:00.123456Z");
            assertThat(run.getUpdatedAt()).isEqualTo(microseconds);
            assertThat(clocked.find(run.getPipeline(), "r-clock").orElseThrow().getUpdatedAt()).isEqualTo(microseconds);
            assertThat(clocked.claim(run.getPipeline(), "r-clock", "node-b", microseconds)).as("not before").isFalse();
            assertThat(clocked.claim(run.getPipeline(), "r-clock", "node-b", microseconds.plusNanos(1000))).isTrue();
        }
    }

    @Test
    void usesAHostsDataSourceAndLeavesItOpen() {
        try (HikariDataSource host = hostPool()) {
            RetrainRun run = run("r-host", Instant.now());
            try (RunStore onHostPool = new JdbcRunStore(host, PREFIX)) {
                onHostPool.save(run);
            }
            assertThat(host.isClosed()).isFalse();
            assertThat(store.find(run.getPipeline(), "r-host")).as("committed, though the host's pool defaults to"
                    + " manual commit").isPresent();
        }
    }

    @Test
    void aProgressSaveCommitsWithoutWaitingForTheLogFlushAndLeavesTheConnectionAsItWas() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.URL);
        config.setUsername(TestPostgres.USER);
        config.setMaximumPoolSize(1); // every call gets the connection the progress save used
        try (HikariDataSource one = new HikariDataSource(config); RunStore onOne = new JdbcRunStore(one, PREFIX)) {
            RetrainRun run = run("r-progress", Instant.now());
            onOne.begin(run);
            run.setStep(PipelineStep.FETCH);
            onOne.saveProgress(run);
            RetrainRun second = run("r-progress-2", Instant.now());
            assertThatThrownBy(() -> onOne.saveProgress(second)).isInstanceOf(RunStoreException.class)
                    .hasMessageContaining("r-progress-2").hasMessageContaining("another run in flight");

            assertThat(onOne.find(run.getPipeline(), "r-progress").orElseThrow().getStep()).isEqualTo(PipelineStep.FETCH);
            try (java.sql.Connection connection = one.getConnection();
                    java.sql.Statement show = connection.createStatement();
                    java.sql.ResultSet setting = show.executeQuery("SHOW synchronous_commit")) {
                setting.next();
                assertThat(setting.getString(1)).as("SET LOCAL ended with its transaction").isEqualTo("on");
                assertThat(connection.getAutoCommit()).isTrue();
            }
        }
    }

    @Test
    void aConnectionFailureSaysWhereButNeverThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/test?password=url-secret-1&connectTimeout=5";

        Throwable failure = catchThrowable(() -> JdbcRunStore.connect(url, "postgres", Secret.of("pw-secret-2"), null));

        assertThat(failure).isInstanceOf(RunStoreException.class)
                .hasMessageContaining("cannot connect to the run store database jdbc:postgresql://127.0.0.1:" + closedPort
                        + "/test?password=******&connectTimeout=5 as user postgres")
                .hasMessageContaining("refused");
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("url-secret-1", "pw-secret-2");
    }

    @Test
    void refusesOtherDatabasesAndUnsafeTablePrefixesBeforeConnecting() {
        assertThatThrownBy(() -> JdbcRunStore.connect("jdbc:mysql://db/runs?password=my-secret", "u", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL JDBC URL")
                .hasMessageNotContaining("my-secret");
        assertThatThrownBy(() -> connect("runs; DROP TABLE x; --")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table prefix");
        assertThatThrownBy(() -> connect("Retrain_")).isInstanceOf(IllegalArgumentException.class);
    }

    private static JdbcRunStore connect(String prefix) {
        return JdbcRunStore.connect(TestPostgres.URL, TestPostgres.USER, null, prefix);
    }

    private static synchronized String freshPrefix() {
        String prefix = TestPostgres.newTablePrefix();
        PREFIXES.add(prefix);
        return prefix;
    }

    private void assertColumnsMatchRecord(String pipeline, String runId) throws Exception {
        RetrainRun found = store.find(pipeline, runId).orElseThrow();
        List<Object> row = TestPostgres.query("SELECT status, step, job_id, owner, created_at, updated_at FROM "
                + PREFIX + "runs WHERE pipeline = ? AND run_id = ?", pipeline, runId).get(0);

        assertThat(row.subList(0, 4)).containsExactly(found.getStatus().name(), found.getStep().name(),
                found.getJobId(), found.getOwner());
        assertThat(((Timestamp) row.get(4)).toInstant()).isEqualTo(found.getCreatedAt());
        assertThat(((Timestamp) row.get(5)).toInstant()).isEqualTo(found.getUpdatedAt());
    }

    /** Runs {@code count} calls released together, as nodes would make them; their results in call order. */
    private static <T> List<T> atOnce(int count, IntFunction<T> call) throws Exception {
        CyclicBarrier together = new CyclicBarrier(count);
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                calls.add(() -> {
                    together.await();
                    return call.apply(index);
                });
            }
            List<T> results = new ArrayList<>();
            for (Future<T> result : threads.invokeAll(calls)) {
                results.add(result.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A host application's pool, set up the way some hosts do: transactions committed by hand. */
    private static HikariDataSource hostPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.URL);
        config.setUsername(TestPostgres.USER);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}

package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.JdbcRunStore;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.state.TestPostgres;
import org.camelazureml.retrain.support.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes sharing the PostgreSQL run store: one run in flight between them, and takeover when a node goes quiet. */
class SharedStoreTest {

    @TempDir
    Path dataDir;

    private PipelineHarness harness;
    private String tablePrefix;
    private JdbcRunStore store;

    @BeforeEach
    void start() {
        TestPostgres.requireReachable();
        tablePrefix = TestPostgres.newTablePrefix();
        harness = new PipelineHarness(dataDir, b -> b.jobDuration(Duration.ofSeconds(3)))
                .with("retrain.store.type", "jdbc")
                .with("retrain.store.jdbc.url", TestPostgres.URL)
                .with("retrain.store.jdbc.user", TestPostgres.USER)
                .with("retrain.store.jdbc.table-prefix", tablePrefix);
        store = JdbcRunStore.connect(TestPostgres.URL, TestPostgres.USER, null, tablePrefix);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        harness.close();
        TestPostgres.dropTables(tablePrefix);
    }

    private RetrainRuntime node(String name) {
        return harness.with("retrain.node.name", name).runtime();
    }

    private static CompletableFuture<Integer> runOnce(RetrainRuntime node) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return node.runOnce("default");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void whileOneNodeRunsThePipelineTheOtherSkips() throws Exception {
        CompletableFuture<Integer> nodeA = runOnce(node("node-a"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.emulator().submittedJobCount() == 1);

        int nodeB = node("node-b").runOnce("default");

        assertThat(nodeB).as("node-b's trigger is skipped").isEqualTo(1);
        assertThat(nodeA.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(store.list("default", 10)).hasSize(1).first()
                .satisfies(run -> assertThat(run.getOwner()).isEqualTo("node-a"))
                .satisfies(run -> assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED));
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
    }

    @Test
    void aRunWhoseNodeWentQuietIsTakenOverAndFinishedWithTheSameJob() throws Exception {
        harness.with("retrain.node.takeover-after", "2s").with("retrain.schedule.period", "1h");
        RetrainRuntime nodeA = node("node-a");
        CompletableFuture<Integer> scheduledA = CompletableFuture.supplyAsync(() -> {
            try {
                return nodeA.runScheduled();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.unfinished("default")
                .filter(run -> run.getStep() == PipelineStep.POLL && run.getPollCount() > 0).isPresent());
        nodeA.main().completed(); // node-a stops; its run stays RUNNING, owned by node-a
        assertThat(scheduledA.get(30, TimeUnit.SECONDS)).isZero();
        RetrainRun abandoned = store.unfinished("default").orElseThrow();

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> node("node-b").runOnce("default") == 0);

        RetrainRun finished = store.find("default", abandoned.getRunId()).orElseThrow();
        assertThat(finished.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(finished.getOwner()).isEqualTo("node-b");
        assertThat(finished.getJobId()).isEqualTo(abandoned.getJobId());
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                .isEqualTo(finished.getModels().get(0).sha256());
    }
}

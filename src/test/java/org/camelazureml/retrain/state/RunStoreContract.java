package org.camelazureml.retrain.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.camelazureml.retrain.azureml.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunStore} must do; each implementation's test extends this. */
public abstract class RunStoreContract {

    protected RunStore store;
    private String pipeline;

    /** A new, empty store (or one whose pipelines other tests do not use). */
    protected abstract RunStore createStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = createStore();
        pipeline = "p-" + Long.toHexString(System.nanoTime());
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    /** This test's pipeline, which no other test uses. */
    protected String pipeline() {
        return pipeline;
    }

    protected RetrainRun run(String runId, Instant createdAt) {
        RetrainRun run = new RetrainRun(runId, pipeline, createdAt.truncatedTo(ChronoUnit.MILLIS));
        run.setOwner("node-a");
        return run;
    }

    @Test
    void savesAndReadsBackEveryField() {
        RetrainRun run = run("20261128-000000-aaaaaa", Instant.parse("2026-11-28T00:00:00Z"));
        run.setJobId("539d0bc2fde945b6ac986b851d0000f0");
        run.setJobStatus(JobStatus.Running);
        run.setStep(PipelineStep.POLL);
        run.setSubmitSentAt(Instant.parse("2026-11-28T00:00:01Z"));
        run.getOutputs().put("output1", "models/20261128-000000-aaaaaa/model.ilearner");
        run.getRetries().put(PipelineStep.SUBMIT, 2);
        run.setLastRetryCause("submit training job failed: HTTP 503");
        run.setModels(java.util.List.of(new RetrainRun.ModelRecord("output1", "models/x/model.ilearner", "/tmp/m", 42, "ab")));
        run.setEndpoints(java.util.List.of("default", "ep2"));
        run.getUpdates().add(new RetrainRun.EndpointUpdate("default", "https://h/ep", "M [trained model]", "output1",
                "ab", RetrainRun.UpdateStatus.UPDATED, Instant.parse("2026-11-28T00:10:00Z"), true, null));
        run.setMetrics(java.util.Map.of("Coefficient of Determination", 0.93));
        run.setGate(new RetrainRun.GateDecision("Coefficient of Determination", true, 0.93, 0.9, "r-0", 0.8, 0.01,
                true, "better"));

        store.save(run);
        RetrainRun read = store.find(pipeline, run.getRunId()).orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(run);
        assertThat(read.getUpdatedAt()).isNotNull();
        assertThat(store.find(pipeline, "20261128-000000-bbbbbb")).isEmpty();
    }

    /** A run that has ended: a pipeline has any number of those, but at most one in flight. */
    protected RetrainRun endedRun(String runId, Instant createdAt) {
        RetrainRun run = run(runId, createdAt);
        run.setStatus(RunStatus.SUCCEEDED);
        return run;
    }

    @Test
    void aProgressSaveReplacesTheRecordLikeASave() {
        RetrainRun run = run("r-1", Instant.parse("2026-11-01T00:00:00Z"));
        store.save(run);
        run.enter(PipelineStep.POLL, Instant.parse("2026-11-01T00:00:05Z"));
        run.setPollCount(3);
        store.saveProgress(run);

        RetrainRun read = store.find(run.getPipeline(), "r-1").orElseThrow();
        assertThat(read.getStep()).isEqualTo(PipelineStep.POLL);
        assertThat(read.getPollCount()).isEqualTo(3);
        assertThat(store.list(run.getPipeline(), 10)).hasSize(1);
    }

    @Test
    void listsNewestFirstUpToALimit() {
        store.save(endedRun("r-1", Instant.parse("2026-11-01T00:00:00Z")));
        store.save(endedRun("r-3", Instant.parse("2026-11-03T00:00:00Z")));
        store.save(endedRun("r-2", Instant.parse("2026-11-02T00:00:00Z")));

        assertThat(store.list(pipeline, 10)).extracting(RetrainRun::getRunId).containsExactly("r-3", "r-2", "r-1");
        assertThat(store.list(pipeline, 2)).extracting(RetrainRun::getRunId).containsExactly("r-3", "r-2");
    }

    @Test
    void aPipelineHasAtMostOneRunInFlight() {
        RetrainRun first = run("r-first", Instant.now());
        RetrainRun second = run("r-second", Instant.now());

        assertThat(store.begin(first)).isEmpty();
        assertThat(store.begin(second)).get().extracting(RetrainRun::getRunId).isEqualTo("r-first");
        assertThat(store.find(pipeline, "r-second")).isEmpty();
        assertThat(store.unfinished(pipeline)).get().extracting(RetrainRun::getRunId).isEqualTo("r-first");

        first.setStatus(RunStatus.SUCCEEDED);
        store.save(first);

        assertThat(store.unfinished(pipeline)).isEmpty();
        assertThat(store.begin(second)).isEmpty();
        assertThat(store.unfinished(pipeline)).get().extracting(RetrainRun::getRunId).isEqualTo("r-second");
    }

    @Test
    void ofManyConcurrentBeginsExactlyOneWins() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Optional<RetrainRun>>> begins = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                RetrainRun candidate = run("r-race-" + i, Instant.now());
                begins.add(() -> store.begin(candidate));
            }
            int winners = 0;
            for (Future<Optional<RetrainRun>> result : threads.invokeAll(begins)) {
                winners += result.get().isEmpty() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(store.list(pipeline, 100)).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aRunIsTakenOverOnlyWhenItsOwnerWentQuiet() {
        RetrainRun run = run("r-claim", Instant.now());
        store.begin(run);
        Instant beforeSave = store.find(pipeline, "r-claim").orElseThrow().getUpdatedAt().minusSeconds(1);
        Instant afterSave = Instant.now().plusSeconds(1);

        assertThat(store.claim(pipeline, "r-claim", "node-a", beforeSave)).as("its own owner").isTrue();
        assertThat(store.claim(pipeline, "r-claim", "node-b", beforeSave)).as("owner still alive").isFalse();
        assertThat(store.find(pipeline, "r-claim").orElseThrow().getOwner()).isEqualTo("node-a");
        assertThat(store.claim(pipeline, "r-claim", "node-b", afterSave)).as("owner quiet").isTrue();
        assertThat(store.find(pipeline, "r-claim").orElseThrow().getOwner()).isEqualTo("node-b");

        RetrainRun ended = store.find(pipeline, "r-claim").orElseThrow();
        ended.setStatus(RunStatus.FAILED);
        store.save(ended);
        assertThat(store.claim(pipeline, "r-claim", "node-b", afterSave)).as("ended runs stay ended").isFalse();
    }

    @Test
    void pipelinesAreIndependent() {
        RetrainRun here = run("r-here", Instant.now());
        RetrainRun elsewhere = new RetrainRun("r-elsewhere", pipeline + "-other", Instant.now());

        assertThat(store.begin(here)).isEmpty();
        assertThat(store.begin(elsewhere)).isEmpty();
        assertThat(store.list(pipeline, 10)).extracting(RetrainRun::getRunId).containsExactly("r-here");
    }
}

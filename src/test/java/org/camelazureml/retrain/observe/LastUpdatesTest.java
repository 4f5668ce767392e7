package org.camelazureml.retrain.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.ModelRecord;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunKind;
import org.camelazureml.retrain.state.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last updates come from the store, then from outcomes, and from the store again for runs made elsewhere. */
class LastUpdatesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));

    @Test
    void readsTheStoreFollowsOutcomesAndSeesRunsOfOtherNodesAfterTheRefreshInterval() {
        FileRunStore store = new FileRunStore(dataDir);
        store.save(run("r1", RunKind.TRAINING, T0, 100, "ep1"));
        store.save(run("r2", RunKind.ROLLBACK, T0.plus(Duration.ofHours(1)), 50, "ep1"));
        LastUpdates lastUpdates = new LastUpdates(store, List.of("p"), clock);

        assertThat(lastUpdates.lastUpdate("p", "ep1")).as("a rollback is no new model").contains(T0);
        assertThat(lastUpdates.modelSize("p", "output1")).hasValue(100);
        assertThat(lastUpdates.lastUpdate("p", "ep2")).isEmpty();

        Instant t1 = T0.plus(Duration.ofHours(2));
        lastUpdates.onOutcome(null, run("r3", RunKind.TRAINING, t1, 120, "ep1", "ep2"));
        assertThat(lastUpdates.lastUpdate("p", "ep2")).contains(t1);
        assertThat(lastUpdates.modelSize("p", "output1")).hasValue(120);

        Instant t2 = T0.plus(Duration.ofHours(3));
        store.save(run("r4", RunKind.TRAINING, t2, 130, "ep2")); // another node, or the command line
        assertThat(lastUpdates.lastUpdate("p", "ep2")).as("not read again yet").contains(t1);
        clock.advance(LastUpdates.REFRESH);
        assertThat(lastUpdates.lastUpdate("p", "ep2")).contains(t2);
        assertThat(lastUpdates.lastUpdate("p", "ep1")).contains(t1);
        assertThat(lastUpdates.lastUpdate("p")).as("any endpoint").contains(t2);
        assertThat(lastUpdates.modelSize("p", "output1")).hasValue(130);
        assertThat(lastUpdates.lastUpdate("other")).isEmpty();
    }

    private static RetrainRun run(String id, RunKind kind, Instant at, long size, String... endpoints) {
        RetrainRun run = new RetrainRun(id, "p", at.minus(Duration.ofMinutes(10)));
        run.setKind(kind);
        run.setStatus(RunStatus.SUCCEEDED);
        run.setStep(PipelineStep.DONE);
        run.setEndpoints(List.of(endpoints));
        run.setModels(List.of(new ModelRecord("output1", "models/" + id + "/m.ilearner", id + "/output1.ilearner",
                size, "a".repeat(64))));
        run.setUpdates(java.util.Arrays.stream(endpoints).map(endpoint -> new EndpointUpdate(endpoint,
                "http://127.0.0.1/" + endpoint, "Model [trained model]", "output1", "a".repeat(64), UpdateStatus.UPDATED,
                at, true, null)).toList());
        return run;
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

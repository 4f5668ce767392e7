package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default mode: the schedule route made from the route file's template starts runs by itself. */
class ScheduledModeTest {

    @TempDir
    Path dataDir;

    @Test
    void theScheduleStartsRunsUntilTheApplicationStops() throws Exception {
        try (EmulatorLauncher.Running azureMl = TestAzureMl.start()) {
            Map<String, String> properties = TestAzureMl.properties(azureMl, dataDir);
            properties.put("retrain.schedule.period", "1s");
            RetrainRuntime runtime = new RetrainRuntime(null, null);
            properties.forEach(runtime::withProperty);
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return runtime.runScheduled();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            FileRunStore runs = new FileRunStore(dataDir);


            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runs.list("default", 100).stream()
                    .filter(run -> run.getStatus() == RunStatus.SUCCEEDED).count() >= 2);
            runtime.main().completed();

            assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
            List<RetrainRun> recorded = runs.list("default", 100);
            assertThat(recorded).extracting(RetrainRun::getJobId).doesNotHaveDuplicates();
            assertThat(azureMl.emulator().submittedJobCount()).isEqualTo(recorded.size());
        }
    }
}

package org.camelazureml.retrain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.camelazureml.retrain.azureml.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRunStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void savesAndReadsBackARun() {
        FileRunStore store = new FileRunStore(dataDir);
        RetrainRun run = new RetrainRun("20261128-000000-aaaaaa", "default", Instant.parse("2026-11-28T00:00:00Z"));
        run.setJobId("539d0bc2fde945b6ac986b851d0000f0");
        run.setJobStatus(JobStatus.Running);
        run.setStep(PipelineStep.POLL);
        run.getOutputs().put("output1", "models/20261128-000000-aaaaaa/model.ilearner");
        run.setModel(new RetrainRun.ModelRecord("models/x/model.ilearner", "/tmp/m", 42, "ab"));

        store.save(run);
        RetrainRun read = store.find("default", run.getRunId()).orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(run);
        assertThat(store.list("default")).extracting(RetrainRun::getRunId).containsExactly(run.getRunId());
        assertThat(store.find("default", "20261128-000000-bbbbbb")).isEmpty();
    }

    @Test
    void listsNewestFirstAndIgnoresLeftoverTemporaryFiles() throws Exception {
        FileRunStore store = new FileRunStore(dataDir);
        store.save(new RetrainRun("r-old", "default", Instant.parse("2026-11-01T00:00:00Z")));
        store.save(new RetrainRun("r-new", "default", Instant.parse("2026-11-02T00:00:00Z")));
        Files.writeString(dataDir.resolve("runs/default/.r-torn.json.tmp"), "{\"runId\": \"r-to");

        assertThat(store.list("default")).extracting(RetrainRun::getRunId).containsExactly("r-new", "r-old");
    }

    @Test
    void overwritesAtomically() throws Exception {
        FileRunStore store = new FileRunStore(dataDir);
        RetrainRun run = new RetrainRun("r1", "default", Instant.now());
        store.save(run);
        run.setStatus(RunStatus.SUCCEEDED);
        store.save(run);

        assertThat(store.find("default", "r1")).get().extracting(RetrainRun::getStatus).isEqualTo(RunStatus.SUCCEEDED);
        try (var files = Files.list(dataDir.resolve("runs/default"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("r1.json");
        }
    }

    @Test
    void refusesUnsafeNames() {
        FileRunStore store = new FileRunStore(dataDir);
        assertThatThrownBy(() -> store.save(new RetrainRun("../escape", "default", Instant.now())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

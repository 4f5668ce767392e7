package org.camelazureml.retrain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRunStoreTest extends RunStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected RunStore createStore() {
        return new FileRunStore(dataDir);
    }

    @Test
    void aTornTemporaryFileFromACrashIsIgnored() throws Exception {
        RetrainRun run = run("r-1", Instant.parse("2026-11-01T00:00:00Z"));
        store.save(run);
        Path dir = dataDir.resolve("runs").resolve(run.getPipeline());
        Files.writeString(dir.resolve(".r-1.json.tmp"), "{\"runId\": \"r-1\", \"stat");

        assertThat(store.list(run.getPipeline(), 10)).extracting(RetrainRun::getRunId).containsExactly("r-1");
        assertThat(store.find(run.getPipeline(), "r-1")).isPresent();
    }

    @Test
    void overwritesInPlaceWithOneFilePerRun() throws Exception {
        RetrainRun run = run("r-1", Instant.now());
        store.save(run);
        run.setStatus(RunStatus.SUCCEEDED);
        store.save(run);

        assertThat(store.find(run.getPipeline(), "r-1")).get().extracting(RetrainRun::getStatus)
                .isEqualTo(RunStatus.SUCCEEDED);
        try (var files = Files.list(dataDir.resolve("runs").resolve(run.getPipeline()))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("r-1.json");
        }
    }

    @Test
    void aPipelineDirectoryRemovedUnderTheStoreIsMadeAgain() throws Exception {
        RetrainRun run = run("r-1", Instant.now());
        store.save(run);
        Path dir = dataDir.resolve("runs").resolve(run.getPipeline());
        Files.delete(dir.resolve("r-1.json"));
        Files.delete(dir);

        run.setStatus(RunStatus.SUCCEEDED);
        store.saveProgress(run);

        assertThat(store.find(run.getPipeline(), "r-1")).get().extracting(RetrainRun::getStatus)
                .isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void refusesUnsafeNames() {
        assertThatThrownBy(() -> store.save(new RetrainRun("../escape", "default", Instant.now())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.camelazureml.retrain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness (bench/) alive in CI: each part's program at a tiny size, checking that it measured
 * real, correct work (hashes match, runs succeed, a section with its table is written), never how fast. Speed is
 * judged from bench/RESULTS.md. An IT because the start-up part runs the packaged jar.
 */
class BenchSmokeIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void noPageCacheDrops() {
        System.setProperty("bench.dropCaches", "0"); // a CI machine's cache is not ours to empty
    }

    @AfterAll
    static void restore() {
        System.clearProperty("bench.dropCaches");
    }

    @Test
    void fetchArchivesTheBlobWithItsSha256AsCurlDownloadsIt() throws Exception {
        Path out = dir.resolve("fetch.md");

        boolean verified = FetchBenchmark.run(4, 1, out, dir.resolve("work"));

        assertThat(verified).as("every fetch of ours archived the blob with its known SHA-256").isTrue();
        assertThat(Files.readString(out)).contains("## a. Model fetch: 4 MiB", "all matched",
                "| fetch succeeds with `-Xmx64m`, SHA-256 verified | 1/1 |", "(curl)");
    }

    @Test
    void reactionRunsSucceedAndAreMeasuredAgainstTheBlockingLoop() throws Exception {
        Path out = dir.resolve("reaction.md");

        boolean succeeded = ReactionBenchmark.run(2, 300, 200, out, dir.resolve("work"));

        assertThat(succeeded).as("both runs SUCCEEDED with a PATCH after Finished").isTrue();
        assertThat(Files.readString(out)).contains("## c. Reaction time", "all SUCCEEDED", "(blocking loop)")
                .doesNotContain("NaN");
    }

    @Test
    void startupReachesTheSubmitAndTheBareTimerTicks() throws Exception {
        Path out = dir.resolve("startup.md");
        Path jar = Path.of(System.getProperty("retrain.jar", "target/camel-azureml-retrain.jar"));

        boolean ok = StartupBenchmark.run(1, jar, 1, "", out, dir.resolve("work"));

        assertThat(ok).as("--once submitted and SUCCEEDED").isTrue();
        assertThat(Files.readString(out)).contains("## d. Start-up", "every `--once` run SUCCEEDED",
                "(bare camel-main)").doesNotContain("NaN");
    }
}

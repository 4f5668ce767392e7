package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL at each step boundary, then started again with {@code --once}. In every
 * case the emulator accepts exactly one training job, and either the run's own model ends up deployed or the run
 * ends with a clear failure and nothing deployed. The kill points are made wide with emulator faults: {@code late}
 * (the request takes effect at once, its answer comes later) and {@code padded} (a model big enough to take a while).
 */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    private PipelineHarness harness;
    private Process running;

    @AfterEach
    void stop() {
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private void startEmulator(String faults) throws IOException {
        harness = new PipelineHarness(dataDir(), b -> b.faults(faults).jobDuration(Duration.ofSeconds(3)));
        harness.with("retrain.poll.interval", "200");
        StringBuilder file = new StringBuilder();
        harness.properties().forEach((key, value) -> file.append(key).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("retrain.properties"), file);
    }

    private Process startJar() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("retrain.jar", "target/camel-azureml-retrain.jar"), "--once", "--config",
                dir.resolve("retrain.properties").toString()));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("jar-output.txt").toFile())).start();
    }

    /** Runs the jar until the recorded run matches {@code killPoint}, then SIGKILLs it. */
    private RetrainRun killWhen(Predicate<RetrainRun> killPoint) throws Exception {
        running = startJar();
        FileRunStore store = new FileRunStore(dataDir());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<RetrainRun> runs = store.list("default", 1);
            return !runs.isEmpty() && killPoint.test(runs.get(0));
        });
        running.destroyForcibly(); // SIGKILL: no shutdown hook, no last save
        assertThat(running.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return store.list("default", 1).get(0);
    }

    private int restart() throws Exception {
        running = startJar();
        if (!running.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("the restarted jar did not finish:\n" + Files.readString(dir.resolve("jar-output.txt")));
        }
        return running.exitValue();
    }

    private void assertResumedAndDeployed(RetrainRun killed, int exit) throws Exception {
        RetrainRun run = harness.store().find("default", killed.getRunId()).orElseThrow();
        assertThat(exit).as(Files.readString(dir.resolve("jar-output.txt"))).isZero();
        assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(harness.store().list("default", 10)).as("no second run").hasSize(1);
        assertThat(harness.emulator().submittedJobCount()).as("jobs accepted").isEqualTo(1);
        assertThat(run.getJobId()).isEqualTo(harness.emulator().jobs().get(0).id());
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                .isEqualTo(run.getModels().get(0).sha256())
                .isEqualTo(TestAzureMl.blobSha256(run.getModels().get(0).relativeLocation()));
    }

    @Test
    void killedWhileTheSubmitIsUnansweredTheRunFailsClearlyWithOneJobAndNothingDeployed() throws Exception {
        startEmulator("submit:late=5000");
        // the service has made the job, its answer is on the way: the worst moment for a crash
        RetrainRun killed = killWhen(run -> run.getSubmitSentAt() != null && harness.emulator().submittedJobCount() == 1);
        assertThat(killed.getJobId()).isNull();

        int exit = restart();

        RetrainRun run = harness.store().find("default", killed.getRunId()).orElseThrow();
        assertThat(exit).isEqualTo(1);
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getError()).contains("its answer never arrived").contains("Not submitting again");
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }

    @Test
    void killedRightAfterTheJobWasAcceptedTheRunResumesThatJob() throws Exception {
        startEmulator("start:late=5000");
        RetrainRun killed = killWhen(run -> run.getJobId() != null);
        assertThat(killed.getStep()).isEqualTo(PipelineStep.START);

        assertResumedAndDeployed(killed, restart());
    }

    @Test
    void killedWhilePollingTheRunResumesPolling() throws Exception {
        startEmulator("");
        RetrainRun killed = killWhen(run -> run.getStep() == PipelineStep.POLL && run.getPollCount() > 0);

        assertResumedAndDeployed(killed, restart());
    }

    @Test
    void killedWhileFetchingTheModelTheRunFetchesItAgain() throws Exception {
        startEmulator("model:padded=300000000");
        RetrainRun killed = killWhen(run -> run.getStep() == PipelineStep.FETCH && Files.exists(dataDir()
                .resolve("models/default/" + run.getRunId() + "/output1.ilearner.part")));

        assertResumedAndDeployed(killed, restart());
        RetrainRun run = harness.store().find("default", killed.getRunId()).orElseThrow();
        assertThat(run.getModels().get(0).sizeBytes()).isGreaterThan(300_000_000L);
    }

    @Test
    void killedWhileTheUpdateIsUnansweredTheRunSendsItAgain() throws Exception {
        startEmulator("update:late=5000");
        // the endpoint already serves the run's model, the answer to the PATCH is on the way
        RetrainRun killed = killWhen(run -> !run.getModels().isEmpty() && harness.emulator()
                .servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)
                .filter(served -> served.sha256().equals(run.getModels().get(0).sha256())).isPresent());
        assertThat(killed.getUpdates()).as("no update recorded before its answer").isEmpty();

        assertResumedAndDeployed(killed, restart());
    }

    @Test
    void stoppedWithSigtermWhilePollingTheRunIsKeptAndResumed() throws Exception {
        startEmulator("");
        running = startJar();
        FileRunStore store = new FileRunStore(dataDir());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<RetrainRun> runs = store.list("default", 1);
            return !runs.isEmpty() && runs.get(0).getStep() == PipelineStep.POLL && runs.get(0).getPollCount() > 0;
        });
        running.destroy(); // SIGTERM
        assertThat(running.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        RetrainRun stopped = store.list("default", 1).get(0);
        assertThat(stopped.getStatus()).isEqualTo(RunStatus.RUNNING);

        assertResumedAndDeployed(stopped, restart());
    }
}

package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.awaitility.Awaitility;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.JobStatus;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.steps.CreateRun;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.SelfSignedCertificate;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix, in process: each case runs the real application against the emulator with one fault injected,
 * and checks the guarantee: at most one training job per run, and either the run's own model is deployed or the
 * run ends with a clear failure and nothing deployed. (Killing the real jar is in {@code CrashRecoveryIT}.)
 */
class FaultMatrixTest {

    @TempDir
    Path dataDir;

    private PipelineHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private PipelineHarness harness(Consumer<AzureMlEmulator.Builder> emulatorSetup) {
        harness = new PipelineHarness(dataDir, emulatorSetup);
        return harness;
    }

    private PipelineHarness harness(String faults) {
        return harness(b -> b.faults(faults));
    }

    private void assertDeployedItsOwnModel(RetrainRun run) throws Exception {
        assertThat(run.getStatus()).as(String.valueOf(run.getError())).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                .isEqualTo(run.getModels().get(0).sha256())
                .isEqualTo(TestAzureMl.blobSha256(run.getModels().get(0).relativeLocation()));
    }

    private void assertNothingDeployed() {
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }

    // ---- transient failures are retried ------------------------------------------------------------------------

    @Test
    void throttlingIsRetriedAfterTheRetryAfterTheServiceAsksFor() throws Exception {
        harness("status:429x3@retry-after=1");

        assertThat(harness.runOnce()).isZero();

        RetrainRun run = harness.lastRun();
        assertDeployedItsOwnModel(run);
        assertThat(run.getRetries()).containsEntry(PipelineStep.POLL, 3);
        List<RecordedRequest> polls = harness.requests(Operation.STATUS);
        for (int i = 0; i + 1 < polls.size(); i++) {
            if (polls.get(i).status() == 429) {
                assertThat(Duration.between(polls.get(i).at(), polls.get(i + 1).at()))
                        .as("wait after a 429 with Retry-After: 1").isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
        }
    }

    @Test
    void aSubmitRejectedWith503IsRetriedAndMakesOneJob() throws Exception {
        harness("submit:503x2");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.requests(Operation.SUBMIT)).hasSize(3);
        assertThat(harness.lastRun().getRetries()).containsEntry(PipelineStep.SUBMIT, 2);
    }

    @Test
    void serverErrorsOnStartAreRetried() throws Exception {
        harness("start:500x2");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.lastRun().getRetries()).containsEntry(PipelineStep.START, 2);
    }

    @Test
    void droppedStatusConnectionsAreRetried() throws Exception {
        harness("status:dropx2");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.lastRun().getRetries()).containsEntry(PipelineStep.POLL, 2);
    }

    @Test
    void aStatusCallSlowerThanTheReadTimeoutIsRetried() throws Exception {
        harness("status:slow=3000").with("camel.component.http.response-timeout", "1000");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.lastRun().getLastRetryCause()).contains("poll training job failed: no answer");
    }

    @Test
    void anUpdateThatFailsWith503IsRetriedAndDeploys() throws Exception {
        harness("update:503x2");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.requests(Operation.UPDATE)).hasSize(3);
    }

    @Test
    void retriesStopAtTheCapAndTheRunSaysWhy() throws Exception {
        harness("status:503x*").with("retrain.retry.max-attempts", "2");

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getStep()).isEqualTo(PipelineStep.POLL);
        assertThat(run.getError()).startsWith("poll training job failed: HTTP 503");
        assertThat(harness.requests(Operation.STATUS)).hasSize(3);
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        assertNothingDeployed();
    }

    // ---- permanent failures are not retried --------------------------------------------------------------------

    @Test
    void aWrongKeyFailsAtOnce() throws Exception {
        harness(b -> { }).with("retrain.training.api-key", "wrong-key");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).startsWith("submit training job failed: HTTP 401")
                .doesNotContain("wrong-key");
        assertThat(harness.requests(Operation.SUBMIT)).hasSize(1);
        assertThat(harness.emulator().submittedJobCount()).isZero();
    }

    @Test
    void anUpdateRefusedWith400FailsAtOnceAndDeploysNothing() throws Exception {
        harness("update:400");

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.getStep()).isEqualTo(PipelineStep.UPDATE);
        assertThat(run.getError()).startsWith("update scoring resource: 1 of 1 endpoints NOT on the new model")
                .contains("HTTP 400");
        assertThat(harness.requests(Operation.UPDATE)).hasSize(1);
        assertNothingDeployed();
    }

    // ---- a submit is never sent twice ---------------------------------------------------------------------------

    @Test
    void aSubmitAnsweredByAGatewayTimeoutIsNotRetried() throws Exception {
        harness("submit:504");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).startsWith("submit training job: the outcome is unknown");
        assertThat(harness.requests(Operation.SUBMIT)).hasSize(1);
        assertNothingDeployed();
    }

    @Test
    void aSubmitWhoseConnectionDroppedIsNotRetried() throws Exception {
        harness("submit:drop");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).startsWith("submit training job: the outcome is unknown");
        assertThat(harness.requests(Operation.SUBMIT)).hasSize(1);
        assertNothingDeployed();
    }

    @Test
    void aSubmitWhoseAnswerWasLostMakesOneJobAndTheRunFailsClearly() throws Exception {
        harness("submit:lost");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).startsWith("submit training job: the outcome is unknown")
                .contains("no answer from the service");
        assertThat(harness.emulator().submittedJobCount()).as("the service made the job").isEqualTo(1);
        assertThat(harness.requests(Operation.SUBMIT)).hasSize(1);
        assertNothingDeployed();
    }

    @Test
    void aStartAnsweredTooLateIsRetriedAndTheJobCountsAsStarted() throws Exception {
        harness("start:late=3000").with("camel.component.http.response-timeout", "1000");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.lastRun().getRetries()).containsEntry(PipelineStep.START, 1);
        assertThat(harness.lastRun().getLastRetryCause()).contains("start training job failed: no answer");
    }

    @Test
    void anUpdateWhoseAnswerWasLostIsSentAgain() throws Exception {
        harness("update:lost");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.requests(Operation.UPDATE)).hasSize(2);
    }

    @Test
    void anUntrustedCertificateIsAPermanentFailure() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        harness(b -> b.https(certificate.serverContext()));

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).startsWith("submit training job failed: no answer from the service"
                + " (SSLHandshakeException").contains("TLS certificate");
        assertThat(harness.emulator().requests()).isEmpty();
        assertThat(harness.lastRun().getRetries()).isEmpty();
    }

    @Test
    void aCertificateTrustedThroughCamelsSslSettingsWorks() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        harness(b -> b.https(certificate.serverContext()))
                .with("camel.ssl.enabled", "true")
                .with("camel.ssl.trust-store", "file:" + certificate.keystore())
                .with("camel.ssl.trust-store-password", new String(certificate.password()))
                .with("camel.component.https.use-global-ssl-context-parameters", "true");

        assertThat(harness.runOnce()).isZero();

        assertDeployedItsOwnModel(harness.lastRun());
        assertThat(harness.properties().get("retrain.training.endpoint")).startsWith("https://127.0.0.1:");
    }

    @Test
    void aRunResumedAfterAnUnansweredSubmitFailsInsteadOfSubmittingAgain() throws Exception {
        harness(b -> { });
        RetrainRun crashed = new RetrainRun("20261128-000000-c0ffee", "default", Instant.now());
        crashed.setOwner(PipelineHarness.NODE);
        crashed.setOutputs(java.util.Map.of("output1", "models/20261128-000000-c0ffee/model.ilearner",
                "output2", "models/20261128-000000-c0ffee/evaluation.csv"));
        crashed.setSubmitSentAt(Instant.now());
        harness.store().save(crashed);

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.store().find("default", crashed.getRunId()).orElseThrow();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getError()).contains("a submit was sent at").contains("Not submitting again");
        assertThat(harness.requests(Operation.SUBMIT)).isEmpty();
    }

    // ---- the job itself ----------------------------------------------------------------------------------------

    @Test
    void aFailedJobEndsTheRunWithItsDetailsAndNoUpdate() throws Exception {
        harness("job:failed=Module Train Model: out of memory");

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.getError()).contains("failed on the service: ").contains("out of memory");
        assertThat(harness.requests(Operation.UPDATE)).isEmpty();
        assertNothingDeployed();
    }

    @Test
    void aJobStuckRunningIsCancelledWhenTheTimeoutPasses() throws Exception {
        harness("job:stuck=Running").with("retrain.job.timeout", "1s");

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.getError()).contains("still Running after").contains("the remote job was cancelled (confirmed)");
        assertThat(harness.emulator().jobs().get(0).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(harness.requests(Operation.CANCEL)).hasSize(1);
        assertThat(harness.requests(Operation.UPDATE)).isEmpty();
    }

    @Test
    void aJobStuckInTheQueueIsCancelledToo() throws Exception {
        harness("job:stuck=NotStarted").with("retrain.job.timeout", "1s");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getStatus()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.lastRun().getError()).contains("still NotStarted after");
        assertThat(harness.emulator().jobs().get(0).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aMissingModelIsNeverDeployed() throws Exception {
        harness("model:missing");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getStep()).isEqualTo(PipelineStep.FETCH);
        assertThat(harness.lastRun().getError()).contains("answered HTTP 404");
        assertNothingDeployed();
    }

    @Test
    void anEmptyModelIsNeverDeployed() throws Exception {
        harness("model:empty");

        assertThat(harness.runOnce()).isEqualTo(1);

        assertThat(harness.lastRun().getError()).contains("is empty (0 bytes); it will not be deployed");
        assertNothingDeployed();
    }

    @Test
    void aResumedRunWhoseJobTheServiceNoLongerKnowsFailsClearly() throws Exception {
        harness(b -> { });
        RetrainRun crashed = new RetrainRun("20261128-000000-5ea5ed", "default", Instant.now());
        crashed.setOwner(PipelineHarness.NODE);
        crashed.setOutputs(java.util.Map.of("output1", "models/20261128-000000-5ea5ed/model.ilearner",
                "output2", "models/20261128-000000-5ea5ed/evaluation.csv"));
        crashed.setJobId("0123456789abcdef0123456789abcdef");
        crashed.setSubmittedAt(Instant.now());
        crashed.setStep(PipelineStep.POLL);
        harness.store().save(crashed);

        assertThat(harness.runOnce()).isEqualTo(1);

        RetrainRun run = harness.store().find("default", crashed.getRunId()).orElseThrow();
        assertThat(run.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(run.getError()).startsWith("poll training job failed: HTTP 404");
        assertThat(harness.emulator().submittedJobCount()).isZero();
    }

    // ---- one run at a time, and stops that keep the run ---------------------------------------------------------

    @Test
    void aTriggerWhileARunIsInFlightIsSkipped() throws Exception {
        harness(b -> b.jobDuration(Duration.ofSeconds(2)));
        RetrainRuntime runtime = harness.runtime();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return runtime.runOnce("default");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.emulator().submittedJobCount() == 1);

        Exchange second = runtime.main().getCamelContext().createProducerTemplate().request("direct:retrain",
                exchange -> exchange.setProperty(CreateRun.PIPELINE, "default"));

        assertThat(second.getProperty(CreateRun.SKIPPED, Boolean.class)).isTrue();
        assertThat(second.getProperty(CreateRun.SUMMARY, String.class)).contains("trigger skipped, run ")
                .contains("is still in flight");
        assertThat(first.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(harness.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(harness.store().list("default", 10)).hasSize(1);
    }

    @Test
    void aStopWhilePollingKeepsTheRunAndTheNextStartResumesTheSameJob() throws Exception {
        harness(b -> b.jobDuration(Duration.ofSeconds(4))).with("retrain.schedule.period", "1h");
        RetrainRuntime scheduled = harness.runtime();
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
            try {
                return scheduled.runScheduled();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !harness.store().list("default", 1).isEmpty()
                && harness.lastRun().getStep() == PipelineStep.POLL && harness.lastRun().getPollCount() > 0);

        scheduled.main().completed();
        assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
        RetrainRun stopped = harness.lastRun();
        assertThat(stopped.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(stopped.getStep()).isEqualTo(PipelineStep.POLL);

        assertThat(harness.runOnce()).isZero();

        RetrainRun resumed = harness.lastRun();
        assertThat(resumed.getRunId()).isEqualTo(stopped.getRunId());
        assertThat(resumed.getJobId()).isEqualTo(stopped.getJobId());
        assertDeployedItsOwnModel(resumed);
    }

}

package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.JobStatusResponse;
import org.camelazureml.retrain.azureml.ServiceTarget;
import org.camelazureml.retrain.azureml.JobStatus;
import org.camelazureml.retrain.emulator.JobSnapshot;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.StepTestSupport;
import org.junit.jupiter.api.Test;

class PollTrainingJobTest extends StepTestSupport {

    @Test
    void pollsUntilTheJobIsFinishedThenMovesOnToFetch() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-poll-1");

        runUntilJobEnds(run);

        assertThat(run.getJobStatus()).isEqualTo(JobStatus.Finished);
        assertThat(run.getStep()).isEqualTo(PipelineStep.FETCH);
        assertThat(run.isAwaitingTrainingJob()).isFalse();
        assertThat(stored(run).getJobEndedAt()).isNotNull();
        assertThat(run.getPollCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void understandsIntegerStatusCodes() throws Exception {
        startPipeline(b -> b.integerStatusCodes(true), p -> { });
        RetrainRun run = newRun("run-poll-2");

        runUntilJobEnds(run);

        assertThat(run.getJobStatus()).isEqualTo(JobStatus.Finished);
    }

    @Test
    void aFailedJobFailsTheRunWithTheServiceDetails() {
        startPipeline(b -> b.faults("job:failed=Out of memory while training"), p -> { });
        RetrainRun run = newRun("run-poll-3");

        RunFailedException e = catchThrowableOfType(RunFailedException.class, () -> runUntilJobEnds(run));

        assertThat(e.outcome()).isEqualTo(RunStatus.FAILED);
        assertThat(e.getMessage()).contains("failed on the service: ").contains("Out of memory while training");
        assertThat(stored(run).getJobStatus()).isEqualTo(JobStatus.Failed);
        assertThat(stored(run).getJobDetails()).contains("Out of memory while training");
    }

    @Test
    void aTimedOutJobIsCancelledAndTheCancelConfirmed() {
        startPipeline(b -> b.faults("job:stuck=NotStarted"), p -> p.put("retrain.job.timeout", "200ms"));
        RetrainRun run = newRun("run-poll-4");

        RunFailedException e = catchThrowableOfType(RunFailedException.class, () -> runUntilJobEnds(run));

        assertThat(e.outcome()).isEqualTo(RunStatus.CANCELLED);
        assertThat(e.getMessage()).contains("still NotStarted after").contains("the remote job was cancelled (confirmed)");
        JobSnapshot job = emulator.job(run.getJobId()).orElseThrow();
        assertThat(job.status()).isEqualTo(org.camelazureml.retrain.emulator.JobStatus.CANCELLED);
        assertThat(job.cancelCount()).isEqualTo(1);
    }

    @Test
    void aJobCancelledOnTheServiceSideCancelsTheRun() throws Exception {
        startPipeline(b -> b.faults("job:stuck=Running"), p -> { });
        RetrainRun run = newRun("run-poll-5");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        new StartTrainingJob(resources).process(exchange);
        resources.azureMl().cancelJob(pipeline().training().service(), run.getJobId());

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new PollTrainingJob(resources).process(exchange));

        assertThat(e.outcome()).isEqualTo(RunStatus.CANCELLED);
        assertThat(e.getMessage()).contains("was cancelled on the service side");
    }

    @Test
    void aModelLocationFromTheServiceThatCouldClimbOutOfADirectoryIsRefused() throws Exception {
        startPipeline();
        // the emulator reports what it was asked for; a service that answers otherwise is this client's boundary
        AzureMlClient lyingService = new AzureMlClient(camel) {
            @Override
            public JobStatusResponse jobStatus(ServiceTarget training, String jobId) {
                return new JobStatusResponse(JobStatus.Finished, Map.of("output1", new BlobReference(null,
                        "models/../../../etc/passwd", "http://127.0.0.1/", "?sig=x")), null);
            }
        };
        PipelineResources lied = new PipelineResources(resources.config(), resources.runStore(), lyingService,
                resources.clock());
        RetrainRun run = newRun("run-poll-7");
        run.setJobId("0123456789abcdef0123456789abcdef");
        run.setSubmittedAt(java.time.Instant.now());
        run.setStep(PipelineStep.POLL);

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new PollTrainingJob(lied).process(exchangeFor(run)));

        assertThat(e.getMessage()).contains("reports its output 'output1' at an unsafe location").contains("contains '..'");
        assertThat(run.getStep()).isEqualTo(PipelineStep.POLL);
    }

    @Test
    void theFirstPollComesOneIntervalAfterTheStartAndTheNextOneIntervalAfterIt() throws Exception {
        startPipeline(b -> b.faults("job:stuck=Running"), p -> p.put("retrain.poll.interval", "5s"));
        RetrainRun run = newRun("run-poll-6");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        new StartTrainingJob(resources).process(exchange);
        PollTrainingJob poll = new PollTrainingJob(resources);

        assertThat(poll.delayBeforeNextPoll(exchange)).isBetween(4000L, 5000L);
        poll.process(exchange);

        assertThat(poll.delayBeforeNextPoll(exchange)).isBetween(4000L, 5000L);
        assertThat(run.getPollCount()).isEqualTo(1);
        assertThat(run.isAwaitingTrainingJob()).isTrue();
    }

    @Test
    void aRunResumedLongAfterItsStartPollsAtOnce() throws Exception {
        startPipeline(b -> b.faults("job:stuck=Running"), p -> p.put("retrain.poll.interval", "5s"));
        RetrainRun run = newRun("run-poll-8");
        run.setJobId("0123456789abcdef0123456789abcdef");
        run.setStartedAt(java.time.Instant.now().minusSeconds(60));
        run.setStep(PipelineStep.POLL);

        assertThat(new PollTrainingJob(resources).delayBeforeNextPoll(exchangeFor(run))).isZero();
    }

    @Test
    void aJobTimeoutShorterThanThePollIntervalIsActedOnWhenItFalls() throws Exception {
        startPipeline(b -> b.faults("job:stuck=Running"),
                p -> { p.put("retrain.poll.interval", "10s"); p.put("retrain.job.timeout", "2s"); });
        RetrainRun run = newRun("run-poll-9");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        new StartTrainingJob(resources).process(exchange);

        assertThat(new PollTrainingJob(resources).delayBeforeNextPoll(exchange)).isBetween(1000L, 2000L);
    }
}

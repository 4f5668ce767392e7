package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.support.StepTestSupport;
import org.junit.jupiter.api.Test;

class StartTrainingJobTest extends StepTestSupport {

    @Test
    void startsTheSubmittedJobAndMovesTheRunToPolling() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-start-1");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);

        new StartTrainingJob(resources).process(exchange);

        assertThat(emulator.job(run.getJobId()).orElseThrow().startedAt()).isNotNull();
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.POLL);
        assertThat(stored(run).getStartedAt()).isNotNull();
    }

    @Test
    void aRunThatIsAlreadyPollingIsNotStartedAgain() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-start-2");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        StartTrainingJob start = new StartTrainingJob(resources);

        start.process(exchange);
        start.process(exchange);

        assertThat(emulator.job(run.getJobId()).orElseThrow().startCount()).isEqualTo(1);
    }

    @Test
    void aJobTheServiceAlreadyStartedCountsAsStarted() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-start-3");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        new StartTrainingJob(resources).process(exchange);
        run.setStep(PipelineStep.START); // as if the first answer had been lost before it was recorded

        new StartTrainingJob(resources).process(exchange);

        assertThat(emulator.job(run.getJobId()).orElseThrow().startCount()).isEqualTo(2);
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.POLL);
    }

    @Test
    void aJobStartedBeforeACrashUndidItsRecordKeepsNoGuessedStartAndIsPolledAtOnce() throws Exception {
        startPipeline(b -> { }, p -> p.put("retrain.poll.interval", "5s"));
        RetrainRun run = newRun("run-start-5");
        Exchange exchange = exchangeFor(run);
        new SubmitTrainingJob(resources).process(exchange);
        new StartTrainingJob(resources).process(exchange);
        run.setStep(PipelineStep.START); // the record as it was before the start: the crash undid its progress save
        run.setStartedAt(null);

        new StartTrainingJob(resources).process(exchange);

        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.POLL);
        assertThat(stored(run).getStartedAt()).isNull();
        assertThat(new PollTrainingJob(resources).delayBeforeNextPoll(exchange)).isZero();
    }

    @Test
    void anUnknownJobIsNotFound() {
        startPipeline();
        RetrainRun run = newRun("run-start-4");
        run.setJobId("0123456789abcdef0123456789abcdef");
        run.setStep(PipelineStep.START);

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new StartTrainingJob(resources).process(exchangeFor(run)));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("start training job failed: HTTP 404");
    }
}

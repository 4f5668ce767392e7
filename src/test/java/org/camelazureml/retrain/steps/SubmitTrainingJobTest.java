package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.emulator.JobSnapshot;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.support.StepTestSupport;
import org.junit.jupiter.api.Test;

class SubmitTrainingJobTest extends StepTestSupport {

    @Test
    void submitsTheRunsOutputsAndRecordsTheJobId() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-submit-1");

        new SubmitTrainingJob(resources).process(exchangeFor(run));

        assertThat(emulator.jobs()).hasSize(1);
        JobSnapshot job = emulator.jobs().get(0);
        assertThat(run.getJobId()).isEqualTo(job.id());
        assertThat(job.outputs()).containsEntry("output1", "models/run-submit-1/model.ilearner")
                .containsEntry("output2", "models/run-submit-1/evaluation.csv");
        assertThat(stored(run).getJobId()).isEqualTo(job.id());
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.START);
    }

    @Test
    void neverSubmitsASecondJobForARunThatHasOne() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-submit-2");
        SubmitTrainingJob submit = new SubmitTrainingJob(resources);

        submit.process(exchangeFor(run));
        submit.process(exchangeFor(run));

        assertThat(emulator.submittedJobCount()).isEqualTo(1);
    }

    @Test
    void aWrongKeyIsAPermanentFailureThatSaysWhichKeyToCheck() {
        startPipeline(b -> { }, p -> p.put("retrain.training.api-key", "not-the-key"));
        RetrainRun run = newRun("run-submit-3");

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new SubmitTrainingJob(resources).process(exchangeFor(run)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).startsWith("submit training job failed: HTTP 401")
                .endsWith("Check: retrain.training.api-key (each endpoint has its own key)")
                .doesNotContain("not-the-key");
        assertThat(stored(run).getJobId()).isNull();
        assertThat(emulator.submittedJobCount()).isZero();
    }

    @Test
    void portNamesAreCaseSensitiveAndTheAzureCodeIsReported() {
        startPipeline(b -> { }, p -> {
            p.remove("retrain.training.inputs.input1");
            p.put("retrain.training.inputs.Input1", "trainingdata/train.csv");
        });
        RetrainRun run = newRun("run-submit-4");

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new SubmitTrainingJob(resources).process(exchangeFor(run)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.errorCode()).contains("BadArgument");
        assertThat(e.detailCodes()).containsExactly("InvalidInputNames");
        assertThat(e.getMessage()).contains("Check: retrain.training.inputs.<port> names must match");
    }

    @Test
    void throttlingIsTransientAndCarriesRetryAfter() {
        startPipeline(b -> b.faults("submit:503@retry-after=7"), p -> { });
        RetrainRun run = newRun("run-submit-5");

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new SubmitTrainingJob(resources).process(exchangeFor(run)));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(emulator.faults().firedCount(Operation.SUBMIT)).isEqualTo(1);
    }

    @Test
    void aRejectedSubmitCanBeRetriedBecauseNoJobWasMade() {
        startPipeline(b -> b.faults("submit:429"), p -> { });
        RetrainRun run = newRun("run-submit-6");

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new SubmitTrainingJob(resources).process(exchangeFor(run)));

        assertThat(e.isRetryable()).isTrue();
        assertThat(stored(run).getSubmitSentAt()).isNull();
    }

    @Test
    void aSubmitWhoseAnswerWasLostIsNeverSentAgain() throws Exception {
        startPipeline(b -> b.faults("submit:drop"), p -> { });
        RetrainRun run = newRun("run-submit-7");
        SubmitTrainingJob submit = new SubmitTrainingJob(resources);

        RunFailedException lost = catchThrowableOfType(RunFailedException.class, () -> submit.process(exchangeFor(run)));

        assertThat(lost.getMessage()).startsWith("submit training job: the outcome is unknown")
                .contains("Not submitting again, so that no second job runs");
        assertThat(stored(run).getSubmitSentAt()).isNotNull();
        RetrainRun resumed = stored(run);
        RunFailedException again = catchThrowableOfType(RunFailedException.class,
                () -> submit.process(exchangeFor(resumed)));
        assertThat(again.getMessage()).contains("but its answer never arrived");
        assertThat(emulator.requests()).filteredOn(r -> r.operation() == Operation.SUBMIT).hasSize(1);
    }
}

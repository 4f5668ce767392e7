package org.camelazureml.retrain.steps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.JobStatus;
import org.camelazureml.retrain.azureml.JobStatusResponse;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.storage.BlobLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET .../jobs/{id}}, once per call: records the status, moves the run on when the job is Finished, fails
 * it with the service's Details when Failed, and when {@code retrain.job.timeout} has passed since submission
 * (time queued in NotStarted counts) cancels the remote job and ends the run Cancelled. The waiting between polls
 * is the route's {@code delay}, which holds no thread; it waits {@link #delayBeforeNextPoll(Exchange)}, which every step
 * puts in the exchange property {@value RunStep#POLL_DELAY_PROPERTY}.
 */
public class PollTrainingJob extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(PollTrainingJob.class);

    public PollTrainingJob(PipelineResources resources) {
        super(resources);
    }

    /**
     * Milliseconds until the next status call is due: one poll interval after the job was started (a job asked a
     * moment ago has nothing new to say; with many runs started at once, asking at once only competes with the
     * starts still queued), then one poll interval after the last answer; no later than {@code retrain.job.timeout}
     * after the submit, when the call finds the job timed out. A run resumed after a restart asks at once.
     */
    public long delayBeforeNextPoll(Exchange exchange) {
        return delayBeforeNextPoll(currentRun(exchange), resources);
    }

    static long delayBeforeNextPoll(RetrainRun run, PipelineResources resources) {
        Instant last = run.getLastPolledAt() != null ? run.getLastPolledAt() : run.getStartedAt();
        if (last == null) {
            return 0;
        }
        PipelineConfig pipeline = resources.pipeline(run.getPipeline());
        Instant due = last.plus(pipeline.pollInterval());
        if (run.getSubmittedAt() != null) { // a job timeout that falls before the next poll is acted on when it falls
            Instant timeout = run.getSubmittedAt().plus(pipeline.jobTimeout());
            due = timeout.isBefore(due) ? timeout : due;
        }
        return Math.max(0, Duration.between(resources.clock().instant(), due).toMillis());
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (!run.isAwaitingTrainingJob()) {
            return;
        }
        JobStatusResponse response = resources.azureMl().jobStatus(pipeline.training().service(), run.getJobId());
        Instant now = resources.clock().instant();
        JobStatus previous = run.getJobStatus();
        JobStatus status = response.statusCode();
        run.setLastPolledAt(now);
        run.setPollCount(run.getPollCount() + 1);
        run.setJobStatus(status);
        if (status == JobStatus.Running && run.getJobRunningAt() == null) {
            run.setJobRunningAt(now);
        }
        switch (status) {
            case Finished -> {
                run.setJobEndedAt(now);
                checkReportedModel(run, pipeline, response);
                run.enter(PipelineStep.FETCH, resources.clock().instant());
                saveProgress(run); // undone by a crash, the next status call says Finished again
                LOG.info("Training job {} finished after {} status calls", run.getJobId(), run.getPollCount());
            }
            case Failed -> {
                run.setJobEndedAt(now);
                run.setJobDetails(Redaction.redact(response.details()));
                save(run);
                throw new RunFailedException("training job " + run.getJobId() + " failed on the service: "
                        + (response.details() == null ? "(no Details given)" : Redaction.redact(response.details())));
            }
            case Cancelled -> {
                run.setJobEndedAt(now);
                save(run);
                throw new RunFailedException("training job " + run.getJobId() + " was cancelled on the service side",
                        RunStatus.CANCELLED, null);
            }
            default -> {
                if (status != previous) {
                    saveProgress(run);
                    LOG.info("Training job {} is {}", run.getJobId(), status);
                } else {
                    heartbeat(run);
                }
                Duration waited = Duration.between(run.getSubmittedAt(), now);
                if (waited.compareTo(pipeline.jobTimeout()) >= 0) {
                    cancelAfterTimeout(run, pipeline, waited);
                }
            }
        }
    }

    /**
     * The service's Results must name every output the run fetches where the run asked for it. A location from the
     * service is data: one that could climb out of a directory ({@code ..}, absolute) is refused before anything
     * uses it.
     */
    private static void checkReportedModel(RetrainRun run, PipelineConfig pipeline, JobStatusResponse response) {
        List<String> fetched = new ArrayList<>(pipeline.training().modelOutputs());
        if (pipeline.hasGate()) {
            fetched.add(pipeline.gate().metricsOutput());
        }
        for (String port : fetched) {
            BlobReference reported = response.results() == null ? null : response.results().get(port);
            if (reported == null || reported.relativeLocation() == null) {
                throw new RunFailedException("training job " + run.getJobId() + " finished but its Results name no"
                        + " output '" + port + "'");
            }
            BlobLocation location;
            try {
                location = BlobLocation.parse(reported.relativeLocation());
            } catch (IllegalArgumentException e) {
                throw new RunFailedException("training job " + run.getJobId() + " reports its output '" + port
                        + "' at an unsafe location: " + e.getMessage());
            }
            if (!location.relativeLocation().equals(run.getOutputs().get(port))) {
                throw new RunFailedException("training job " + run.getJobId() + " reports its output '" + port
                        + "' at " + location + ", not at " + run.getOutputs().get(port) + " where this run asked");
            }
        }
    }

    private void cancelAfterTimeout(RetrainRun run, PipelineConfig pipeline, Duration waited) {
        String timedOut = "training job " + run.getJobId() + " still " + run.getJobStatus() + " after "
                + Durations.format(waited) + " (retrain.job.timeout=" + Durations.format(pipeline.jobTimeout()) + ")";
        try {
            resources.azureMl().cancelJob(pipeline.training().service(), run.getJobId());
        } catch (AzureMlCallException e) {
            if (e.isRetryable()) {
                throw e; // the poll step runs again: still timed out, cancels again
            }
            throw new RunFailedException(timedOut + "; cancelling the remote job FAILED, it may still be running: "
                    + e.getMessage(), RunStatus.FAILED, e);
        }
        JobStatus after = confirmCancelled(run, pipeline);
        run.setJobStatus(after == null ? run.getJobStatus() : after);
        run.setJobEndedAt(resources.clock().instant());
        save(run);
        LOG.warn("{}; remote job cancelled{}", timedOut, after == JobStatus.Cancelled ? " (confirmed)" : "");
        throw new RunFailedException(timedOut + "; the remote job was cancelled"
                + (after == JobStatus.Cancelled ? " (confirmed)" : " (the service no longer lists it)"),
                RunStatus.CANCELLED, null);
    }

    /** The job's status after DELETE: Cancelled, or null when the service forgot the job (404), which also counts. */
    private JobStatus confirmCancelled(RetrainRun run, PipelineConfig pipeline) {
        try {
            JobStatus status = resources.azureMl().jobStatus(pipeline.training().service(), run.getJobId()).statusCode();
            if (status != JobStatus.Cancelled) {
                throw new RunFailedException("training job " + run.getJobId() + " timed out and was sent a cancel,"
                        + " but the service still reports it " + status);
            }
            return status;
        } catch (AzureMlCallException e) {
            if (e.httpStatus() == 404) {
                return null;
            }
            if (e.isRetryable()) {
                throw e;
            }
            throw new RunFailedException("training job " + run.getJobId() + " timed out and was sent a cancel, but"
                    + " the cancel could not be confirmed: " + e.getMessage(), RunStatus.FAILED, e);
        }
    }
}

package org.camelazureml.retrain.emulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One BES job's mutable state. Every transition is guarded, so late scheduled steps are harmless. */
final class TrainingJob {

    private final String id;
    private final JobRequest request;
    private final Instant submittedAt;
    private JobStatus status = JobStatus.NOT_STARTED;
    private Instant startedAt;
    private Instant runningAt;
    private Instant endedAt;
    private int startCount;
    private int cancelCount;
    private Map<String, ResultLocation> results;
    private String details;

    TrainingJob(String id, JobRequest request, Instant submittedAt) {
        this.id = id;
        this.request = request;
        this.submittedAt = submittedAt;
    }

    String id() {
        return id;
    }

    JobRequest request() {
        return request;
    }

    /** Accepts a start only for a job that is NotStarted and was never started. */
    synchronized void start(Instant now) {
        startCount++;
        if (status != JobStatus.NOT_STARTED || startedAt != null) {
            throw ApiError.invalidOperation("CannotStartJob", "Job " + id + " cannot be started: it is "
                    + status.wireName() + (startedAt != null && status == JobStatus.NOT_STARTED ? " and already started" : "")
                    + ".");
        }
        startedAt = now;
    }

    synchronized boolean markRunning(Instant now) {
        if (status != JobStatus.NOT_STARTED) {
            return false;
        }
        status = JobStatus.RUNNING;
        runningAt = now;
        return true;
    }

    synchronized boolean isRunning() {
        return status == JobStatus.RUNNING;
    }

    synchronized boolean isCancelled() {
        return status == JobStatus.CANCELLED;
    }

    synchronized void finish(Map<String, ResultLocation> outputs, Instant now) {
        if (status == JobStatus.RUNNING) {
            status = JobStatus.FINISHED;
            results = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
            endedAt = now;
        }
    }

    synchronized void fail(String failureDetails, Instant now) {
        if (status == JobStatus.RUNNING) {
            status = JobStatus.FAILED;
            details = failureDetails;
            endedAt = now;
        }
    }

    /** Cancels a job that has not ended; a job that has is left as it is. */
    synchronized void cancel(Instant now) {
        cancelCount++;
        if (!status.isTerminal()) {
            status = JobStatus.CANCELLED;
            endedAt = now;
        }
    }

    synchronized JobStatus status() {
        return status;
    }

    /** Results in the service's output port order, or null until Finished. */
    synchronized Map<String, ResultLocation> results() {
        return results;
    }

    synchronized String details() {
        return details;
    }

    synchronized JobSnapshot snapshot() {
        Map<String, String> outputs = new TreeMap<>();
        request.outputs().forEach((port, reference) -> outputs.put(port, reference.relativeLocation()));
        return new JobSnapshot(id, status, submittedAt, startedAt, runningAt, endedAt, startCount, cancelCount, outputs,
                details);
    }
}

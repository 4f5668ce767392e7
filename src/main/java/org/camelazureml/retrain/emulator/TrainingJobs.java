package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.camelazureml.retrain.config.Redaction;

/**
 * The BES job lifecycle. Submit creates a NotStarted job; start queues it; after the queue time it
 * is Running; after the job duration a worker trains and writes outputs, and it is Finished (or
 * Failed). All waiting is scheduled: no thread sleeps for a job.
 *
 * <p>A cancel stops every output write that has not begun; one already under way (milliseconds)
 * completes, as it would on the real service.
 *
 * <p>{@link #forgetAll()} makes the service lose its jobs: their ids are unknown from then on (404),
 * and their pending steps never happen, as if the jobs had vanished with the service's state.
 */
final class TrainingJobs {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobs.class);

    private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger submitted = new AtomicInteger();
    private final FaultPlan faults;
    private final TrainingRun run;
    private final Duration queueTime;
    private final Duration jobDuration;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;

    TrainingJobs(FaultPlan faults, TrainingRun run, Duration queueTime, Duration jobDuration,
                 ScheduledExecutorService scheduler, ExecutorService workers) {
        this.faults = faults;
        this.run = run;
        this.queueTime = queueTime;
        this.jobDuration = jobDuration;
        this.scheduler = scheduler;
        this.workers = workers;
    }

    String submit(JobRequest request) {
        String id = Keys.randomJobId();
        jobs.put(id, new TrainingJob(id, request, Instant.now()));
        submitted.incrementAndGet();
        LOG.debug("Job {} submitted", id);
        return id;
    }

    void start(String id) {
        TrainingJob job = find(id);
        job.start(Instant.now());
        Optional<Fault> fate = faults.takeJobFault();
        if (isStuckIn(fate, JobStatus.NOT_STARTED)) {
            LOG.debug("Job {} started; a fault keeps it NotStarted", id);
            return;
        }
        schedule(() -> becomeRunning(job, fate), queueTime);
    }

    TrainingJob find(String id) {
        TrainingJob job = jobs.get(id);
        if (job == null) {
            throw ApiError.notFound("Job '" + id + "' was not found.");
        }
        return job;
    }

    void cancel(String id) {
        find(id).cancel(Instant.now());
        LOG.debug("Job {} cancel requested", id);
    }

    /** Forgets every job; answers how many there were. */
    int forgetAll() {
        int forgotten = 0;
        for (String id : List.copyOf(jobs.keySet())) {
            if (jobs.remove(id) != null) {
                forgotten++;
            }
        }
        LOG.debug("Forgot {} jobs", forgotten);
        return forgotten;
    }

    int submittedCount() {
        return submitted.get();
    }

    List<JobSnapshot> snapshots() {
        return jobs.values().stream().map(TrainingJob::snapshot)
                .sorted(Comparator.comparing(JobSnapshot::submittedAt)).toList();
    }

    Optional<JobSnapshot> snapshot(String id) {
        return Optional.ofNullable(jobs.get(id)).map(TrainingJob::snapshot);
    }

    /** False once the job was forgotten: its scheduled steps then do nothing. */
    private boolean isKnown(TrainingJob job) {
        return jobs.get(job.id()) == job;
    }

    private void becomeRunning(TrainingJob job, Optional<Fault> fate) {
        if (!isKnown(job) || !job.markRunning(Instant.now()) || isStuckIn(fate, JobStatus.RUNNING)) {
            return;
        }
        schedule(() -> execute(() -> complete(job, fate)), jobDuration);
    }

    /** Runs on a worker: blob I/O and training stay off the scheduler and the request threads. */
    private void complete(TrainingJob job, Optional<Fault> fate) {
        if (!job.isRunning() || !isKnown(job)) {
            return;
        }
        if (fate.isPresent() && fate.get().kind() == Fault.Kind.JOB_FAILED) {
            job.fail(fate.get().details(), Instant.now());
            return;
        }
        try {
            run.run(job.request(), () -> job.isCancelled() || !isKnown(job))
                    .ifPresent(results -> job.finish(results, Instant.now()));
        } catch (JobFailure failure) {
            job.fail(failure.getMessage(), Instant.now());
        } catch (RuntimeException e) {
            // the exception text may quote storage URLs: redacted, and the stack trace only at debug level
            LOG.warn("Job {} failed inside the emulator: {}", job.id(), Redaction.redact(String.valueOf(e)));
            LOG.debug("Job {} failure", job.id(), e);
            job.fail("The emulator failed to run the job: " + e.getClass().getSimpleName(), Instant.now());
        }
        LOG.debug("Job {} ended {}", job.id(), job.status().wireName());
    }

    private static boolean isStuckIn(Optional<Fault> fate, JobStatus status) {
        return fate.isPresent() && fate.get().kind() == Fault.Kind.JOB_STUCK && fate.get().stuckIn() == status;
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the emulator is closing: the job simply stops where it is
        }
    }

    private void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException closed) {
            // the emulator is closing
        }
    }
}

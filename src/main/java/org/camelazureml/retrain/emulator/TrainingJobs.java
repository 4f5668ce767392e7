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
 * is Running. A worker trains as soon as it runs and writes the outputs in the last part of the job
 * duration ({@link #writeLead}), so the job turns Finished (or Failed) at its job duration with its
 * outputs already in storage, or later only when training and writing took longer than that; many
 * jobs ending together do not queue their storage I/O behind their end. All waiting is scheduled: no
 * thread sleeps for a job, and the threads are a fixed few however many jobs run.
 *
 * <p>A cancel stops every output write that has not begun; one already under way (milliseconds)
 * completes, as it would on the real service.
 *
 * <p>{@link #forgetAll()} makes the service lose its jobs: their ids are unknown from then on (404),
 * and their pending steps never happen, as if the jobs had vanished with the service's state.
 */
final class TrainingJobs {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobs.class);

    private static final Duration MAX_WRITE_LEAD = Duration.ofSeconds(10);

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
        Instant runningAt = Instant.now();
        if (!isKnown(job) || !job.markRunning(runningAt) || isStuckIn(fate, JobStatus.RUNNING)) {
            return;
        }
        Instant due = runningAt.plus(jobDuration);
        if (fate.isPresent() && fate.get().kind() == Fault.Kind.JOB_FAILED) {
            scheduleAt(() -> job.fail(fate.get().details(), Instant.now()), due);
            return;
        }
        execute(() -> train(job, due));
    }

    /** Runs on a worker: blob I/O and training stay off the scheduler and the request threads. */
    private void train(TrainingJob job, Instant due) {
        if (isOver(job)) {
            return;
        }
        TrainingRun.Trained trained;
        try {
            trained = run.train(job.request());
        } catch (JobFailure | RuntimeException e) {
            scheduleAt(() -> fail(job, e), due);
            return;
        }
        scheduleAt(() -> execute(() -> writeOutputs(job, trained, due)), due.minus(writeLead(jobDuration)));
    }

    private void writeOutputs(TrainingJob job, TrainingRun.Trained trained, Instant due) {
        if (isOver(job)) {
            return;
        }
        try {
            run.writeOutputs(job.request(), trained, () -> isOver(job))
                    .ifPresent(results -> scheduleAt(() -> finish(job, results), due));
        } catch (JobFailure | RuntimeException e) {
            scheduleAt(() -> fail(job, e), due);
        }
    }

    /**
     * How long before its end a job starts writing its outputs: a quarter of the job duration, at most
     * 10 s. Writing earlier would leave outputs of a job cancelled late in storage; later, many jobs
     * ending together would end late waiting on storage. (Training too in that window was measured
     * worse: with a thousand jobs, reading the inputs as well made them end seconds late.)
     */
    static Duration writeLead(Duration jobDuration) {
        Duration quarter = jobDuration.dividedBy(4);
        return quarter.compareTo(MAX_WRITE_LEAD) < 0 ? quarter : MAX_WRITE_LEAD;
    }

    private void finish(TrainingJob job, Map<String, ResultLocation> results) {
        if (isKnown(job)) {
            job.finish(results, Instant.now());
            LOG.debug("Job {} ended {}", job.id(), job.status().wireName());
        }
    }

    private void fail(TrainingJob job, Exception e) {
        if (!isKnown(job)) {
            return;
        }
        if (e instanceof JobFailure failure) {
            job.fail(failure.getMessage(), Instant.now());
        } else {
            // the exception text may quote storage URLs: redacted, and the stack trace only at debug level
            LOG.warn("Job {} failed inside the emulator: {}", job.id(), Redaction.redact(String.valueOf(e)));
            LOG.debug("Job {} failure", job.id(), e);
            job.fail("The emulator failed to run the job: " + e.getClass().getSimpleName(), Instant.now());
        }
        LOG.debug("Job {} ended {}", job.id(), job.status().wireName());
    }

    /** Cancelled, forgotten, or ended: its remaining steps do nothing. */
    private boolean isOver(TrainingJob job) {
        return !job.isRunning() || !isKnown(job);
    }

    private static boolean isStuckIn(Optional<Fault> fate, JobStatus status) {
        return fate.isPresent() && fate.get().kind() == Fault.Kind.JOB_STUCK && fate.get().stuckIn() == status;
    }

    /** At {@code when}, or now when that has passed. */
    private void scheduleAt(Runnable task, Instant when) {
        Duration delay = Duration.between(Instant.now(), when);
        if (delay.isNegative() || delay.isZero()) {
            task.run();
        } else {
            schedule(task, delay);
        }
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

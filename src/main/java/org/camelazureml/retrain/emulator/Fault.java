package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected fault in a {@link FaultPlan}: what it does, how many times it may fire, and how
 * many times it has fired so far (so tests can assert it happened).
 */
public final class Fault {

    /** Fires on every matching call, forever. */
    public static final int ALWAYS = -1;

    public enum Kind {
        /** answer an HTTP error status (with the classic error body, optional Retry-After) */
        HTTP_STATUS,
        /** close the connection without any answer */
        DROP_CONNECTION,
        /** answer normally, but only after a delay */
        DELAY,
        /** the started job ends Failed with the given Details */
        JOB_FAILED,
        /** the started job stays NotStarted or Running forever */
        JOB_STUCK,
        /** the job finishes but its trained model blob is never written */
        MODEL_MISSING,
        /** the job finishes but its trained model blob is written with zero bytes */
        MODEL_EMPTY;

        boolean isHttp() {
            return this == HTTP_STATUS || this == DROP_CONNECTION || this == DELAY;
        }
    }

    private final Kind kind;
    private final Operation operation;
    private final int httpStatus;
    private final Duration retryAfter;
    private final Duration delay;
    private final String details;
    private final JobStatus stuckIn;
    private final int times;
    private final AtomicInteger fired = new AtomicInteger();

    private Fault(Kind kind, Operation operation, int httpStatus, Duration retryAfter, Duration delay, String details,
                  JobStatus stuckIn, int times) {
        if (times != ALWAYS && times < 1) {
            throw new IllegalArgumentException("A fault fires at least once (or ALWAYS); was " + times);
        }
        this.kind = kind;
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.details = details;
        this.stuckIn = stuckIn;
        this.times = times;
    }

    static Fault httpStatus(Operation operation, int status, int times, Duration retryAfter) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("An injected HTTP status must be 400..599; was " + status);
        }
        return new Fault(Kind.HTTP_STATUS, operation, status, retryAfter, null, null, null, times);
    }

    static Fault dropConnection(Operation operation, int times) {
        return new Fault(Kind.DROP_CONNECTION, operation, 0, null, null, null, null, times);
    }

    static Fault delay(Operation operation, Duration delay, int times) {
        return new Fault(Kind.DELAY, operation, 0, null, delay, null, null, times);
    }

    static Fault jobFailed(String details, int times) {
        return new Fault(Kind.JOB_FAILED, null, 0, null, null, details, null, times);
    }

    static Fault jobStuck(JobStatus stuckIn, int times) {
        if (stuckIn != JobStatus.NOT_STARTED && stuckIn != JobStatus.RUNNING) {
            throw new IllegalArgumentException("A job can be stuck in NotStarted or Running; not " + stuckIn.wireName());
        }
        return new Fault(Kind.JOB_STUCK, null, 0, null, null, null, stuckIn, times);
    }

    static Fault model(Kind kind, int times) {
        return new Fault(kind, null, 0, null, null, null, null, times);
    }

    /** Consumes one firing if any is left. */
    boolean tryFire() {
        while (true) {
            int count = fired.get();
            if (times != ALWAYS && count >= times) {
                return false;
            }
            if (fired.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The call this fault applies to; null for job and model faults. */
    public Operation operation() {
        return operation;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Retry-After value sent with an injected status, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Duration delay() {
        return delay;
    }

    public String details() {
        return details;
    }

    public JobStatus stuckIn() {
        return stuckIn;
    }

    /** How many times it may fire, or {@link #ALWAYS}. */
    public int times() {
        return times;
    }

    public int firedCount() {
        return fired.get();
    }

    public boolean isExhausted() {
        return times != ALWAYS && fired.get() >= times;
    }

    /** The fault in the spec grammar of {@link FaultPlan#parse(String)}. */
    @Override
    public String toString() {
        String count = times == ALWAYS ? "x*" : "x" + times;
        return switch (kind) {
            case HTTP_STATUS -> operation.specName() + ":" + httpStatus + count
                    + (retryAfter == null ? "" : "@retry-after=" + retryAfter.toSeconds());
            case DROP_CONNECTION -> operation.specName() + ":drop" + count;
            case DELAY -> operation.specName() + ":slow=" + delay.toMillis() + count;
            case JOB_FAILED -> "job:failed=\"" + details + "\"" + count;
            case JOB_STUCK -> "job:stuck=" + stuckIn.wireName() + count;
            case MODEL_MISSING -> "model:missing" + count;
            case MODEL_EMPTY -> "model:empty" + count;
        };
    }
}

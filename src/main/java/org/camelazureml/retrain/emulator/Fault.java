package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One injected fault in a {@link FaultPlan}: what it does, how many times it may fire, and how
 * many times it has fired so far (so tests can assert it happened). A fault on an endpoint call
 * ({@link Operation#isOnEndpoint()}) may be limited to one scoring endpoint, see {@link #endpoint()}.
 */
public final class Fault {

    /** Fires on every matching call, forever. */
    public static final int ALWAYS = -1;

    /** An endpoint name a fault can be limited to: it must survive the text form {@code op@ENDPOINT:fault}. */
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[^\\s,:@\"]+");

    public enum Kind {
        /** answer an HTTP error status (with the classic error body, optional Retry-After) */
        HTTP_STATUS,
        /** close the connection without processing the call or answering: the request never took effect */
        DROP_CONNECTION,
        /** process the call, then close the connection without the answer: it took effect, the answer was lost */
        LOST_ANSWER,
        /** wait, then process the call and answer: nothing happens before the delay is over */
        DELAY,
        /** process the call at once, but hold the answer until the delay after its arrival: it took effect first */
        LATE_ANSWER,
        /** the started job ends Failed with the given Details */
        JOB_FAILED,
        /** the started job stays NotStarted or Running forever */
        JOB_STUCK,
        /** the job finishes but its trained model blob is never written */
        MODEL_MISSING,
        /** the job finishes but its trained model blob is written with zero bytes */
        MODEL_EMPTY,
        /** the job finishes and its trained model blob carries extra padding the model reader ignores */
        MODEL_PADDED;

        boolean isHttp() {
            return this == HTTP_STATUS || this == DROP_CONNECTION || this == LOST_ANSWER || this == DELAY
                    || this == LATE_ANSWER;
        }

        boolean isModel() {
            return this == MODEL_MISSING || this == MODEL_EMPTY || this == MODEL_PADDED;
        }
    }

    private final Kind kind;
    private final Operation operation;
    private final String endpoint;
    private final int httpStatus;
    private final Duration retryAfter;
    private final Duration delay;
    private final String details;
    private final JobStatus stuckIn;
    private final long paddingBytes;
    private final int times;
    private final AtomicInteger fired = new AtomicInteger();

    private Fault(Kind kind, Operation operation, String endpoint, int httpStatus, Duration retryAfter, Duration delay,
                  String details, JobStatus stuckIn, long paddingBytes, int times) {
        if (times != ALWAYS && times < 1) {
            throw new IllegalArgumentException("A fault fires at least once (or ALWAYS); was " + times);
        }
        requireScope(operation, endpoint);
        this.kind = kind;
        this.operation = operation;
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.delay = delay;
        this.details = details;
        this.stuckIn = stuckIn;
        this.paddingBytes = paddingBytes;
        this.times = times;
    }

    /**
     * Checks that a call fault may be limited to {@code endpoint}: null (every call) always may; a name only
     * on an endpoint call, and only a name the text form can carry (no whitespace, ',', ':', '@' or '"').
     */
    static void requireScope(Operation operation, String endpoint) {
        if (endpoint == null) {
            return;
        }
        if (operation == null || !operation.isOnEndpoint()) {
            String endpointCalls = Arrays.stream(Operation.values()).filter(Operation::isOnEndpoint)
                    .map(Operation::specName).collect(Collectors.joining(", "));
            throw new IllegalArgumentException("Only " + endpointCalls + " can be limited to one endpoint; not "
                    + (operation == null ? "job and model faults" : operation.specName()));
        }
        if (!ENDPOINT_NAME.matcher(endpoint).matches()) {
            throw new IllegalArgumentException("An endpoint name in a fault must be non-empty, without whitespace, ',', "
                    + "':', '@' or '\"'; was '" + endpoint + "'");
        }
    }

    static Fault httpStatus(Operation operation, String endpoint, int status, int times, Duration retryAfter) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("An injected HTTP status must be 400..599; was " + status);
        }
        return new Fault(Kind.HTTP_STATUS, operation, endpoint, status, retryAfter, null, null, null, 0, times);
    }

    /** {@link Kind#DROP_CONNECTION} or {@link Kind#LOST_ANSWER}: no answer, before or after processing. */
    static Fault noAnswer(Kind kind, Operation operation, String endpoint, int times) {
        if (kind != Kind.DROP_CONNECTION && kind != Kind.LOST_ANSWER) {
            throw new IllegalArgumentException("Not a no-answer fault: " + kind);
        }
        return new Fault(kind, operation, endpoint, 0, null, null, null, null, 0, times);
    }

    /** {@link Kind#DELAY} or {@link Kind#LATE_ANSWER}: the answer comes {@code delay} late, after or before processing. */
    static Fault delayed(Kind kind, Operation operation, String endpoint, Duration delay, int times) {
        if (kind != Kind.DELAY && kind != Kind.LATE_ANSWER) {
            throw new IllegalArgumentException("Not a delay fault: " + kind);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay must not be negative; was " + delay);
        }
        return new Fault(kind, operation, endpoint, 0, null, delay, null, null, 0, times);
    }

    static Fault jobFailed(String details, int times) {
        return new Fault(Kind.JOB_FAILED, null, null, 0, null, null, details, null, 0, times);
    }

    static Fault jobStuck(JobStatus stuckIn, int times) {
        if (stuckIn != JobStatus.NOT_STARTED && stuckIn != JobStatus.RUNNING) {
            throw new IllegalArgumentException("A job can be stuck in NotStarted or Running; not " + stuckIn.wireName());
        }
        return new Fault(Kind.JOB_STUCK, null, null, 0, null, null, null, stuckIn, 0, times);
    }

    /** {@link Kind#MODEL_MISSING} or {@link Kind#MODEL_EMPTY}. */
    static Fault model(Kind kind, int times) {
        if (kind != Kind.MODEL_MISSING && kind != Kind.MODEL_EMPTY) {
            throw new IllegalArgumentException("Not a model fault without arguments: " + kind);
        }
        return new Fault(kind, null, null, 0, null, null, null, null, 0, times);
    }

    static Fault modelPadded(long paddingBytes, int times) {
        if (paddingBytes < 0) {
            throw new IllegalArgumentException("Padding must not be negative; was " + paddingBytes);
        }
        return new Fault(Kind.MODEL_PADDED, null, null, 0, null, null, null, null, paddingBytes, times);
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

    /**
     * The scoring endpoint this fault is limited to (it fires only on calls whose path names it), or null:
     * it fires on every call of its operation, whatever the endpoint.
     */
    public String endpoint() {
        return endpoint;
    }

    /** Whether this fault fires on a call of {@code call} naming {@code callEndpoint} (null: the call names none). */
    boolean matchesCall(Operation call, String callEndpoint) {
        return kind.isHttp() && operation == call && (endpoint == null || endpoint.equals(callEndpoint));
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Retry-After value sent with an injected status, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The delay of a {@link Kind#DELAY} or {@link Kind#LATE_ANSWER} fault, or null. */
    public Duration delay() {
        return delay;
    }

    public String details() {
        return details;
    }

    public JobStatus stuckIn() {
        return stuckIn;
    }

    /** The bytes a {@link Kind#MODEL_PADDED} fault appends to the model blob; 0 for the other kinds. */
    public long paddingBytes() {
        return paddingBytes;
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
        String call = operation == null ? "" : operation.specName() + (endpoint == null ? "" : "@" + endpoint) + ":";
        return switch (kind) {
            case HTTP_STATUS -> call + httpStatus + count
                    + (retryAfter == null ? "" : "@retry-after=" + retryAfter.toSeconds());
            case DROP_CONNECTION -> call + "drop" + count;
            case LOST_ANSWER -> call + "lost" + count;
            case DELAY -> call + "slow=" + delay.toMillis() + count;
            case LATE_ANSWER -> call + "late=" + delay.toMillis() + count;
            case JOB_FAILED -> "job:failed=\"" + details + "\"" + count;
            case JOB_STUCK -> "job:stuck=" + stuckIn.wireName() + count;
            case MODEL_MISSING -> "model:missing" + count;
            case MODEL_EMPTY -> "model:empty" + count;
            case MODEL_PADDED -> "model:padded=" + paddingBytes + count;
        };
    }
}

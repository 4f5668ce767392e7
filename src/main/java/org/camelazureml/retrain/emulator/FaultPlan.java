package org.camelazureml.retrain.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The faults the emulator injects. Thread safe; faults can be added or cleared while the emulator
 * runs. Faults are tried in the order they were added; each call, job or model write consumes at
 * most one. Every firing is counted on its {@link Fault}.
 *
 * <p>A fault on a call fires on every call of its operation, unless it is limited to one scoring
 * endpoint: {@code plan.forEndpoint("ep2").respondWithStatus(Operation.UPDATE, 503, Fault.ALWAYS)},
 * or {@code update@ep2:503x*} in the text form. Only the endpoint calls ({@code update},
 * {@code get-endpoint}, {@code execute}) can be limited; the endpoint is the one the request path
 * names ({@code .../endpoints/{ep}}, {@code .../services/{ep}/execute}), whether or not it exists.
 *
 * <p>A job writes one trained model per trained-model output port
 * ({@link TrainingServiceSpec#trainedModelPorts()}), in output-port order, and each write takes a model
 * fault if one is due: {@code model:missing} (once) hits the first model the job writes, {@code model:missingx2}
 * the first two.
 *
 * <h2>Text form (for the command line)</h2>
 * <pre>
 * spec     := rule ( ',' rule )*                  (blank = no faults)
 * rule     := op ':' opFault
 *           | endpointOp '@' ENDPOINT ':' opFault      only calls naming that scoring endpoint
 *           | 'job:' jobFault
 *           | 'model:' modelFault
 * op       := submit | start | status | cancel | endpointOp
 * endpointOp := update | get-endpoint | execute
 * ENDPOINT := an endpoint name, without whitespace, ',', ':', '@' or '"'
 * opFault  := STATUS [count] [ '@retry-after=' SECONDS ]   HTTP status 400..599 with the classic error body
 *           | 'drop' [count]                               close the connection at once, without processing the
 *                                                          call: the request never took effect
 *           | 'lost' [count]                               process the call, then close the connection without
 *                                                          the answer: it took effect, the answer was lost
 *           | 'slow=' MILLIS [count]                       wait MILLIS, then process the call and answer
 *           | 'late=' MILLIS [count]                       process the call at once, send its answer MILLIS after
 *                                                          the request arrived (even if the client has gone)
 * jobFault := 'failed=' TEXT                               the next started job ends Failed, Details = TEXT
 *           | 'failed="' TEXT '"' [count]                  quoted: TEXT may hold ',' and a count may follow
 *           | 'stuck=' ( 'NotStarted' | 'Running' ) [count] the job never leaves that status
 * modelFault := ( 'missing' | 'empty' ) [count]            the next trained model blob (each model a job writes
 *                                                          counts) is not written / written empty
 *           | 'padded=' BYTES [count]                      the next trained model blob carries BYTES of padding
 *                                                          (spaces, which the model reader ignores), uploaded in
 *                                                          blocks
 * count    := 'x' N                                        fire N times (default: once)
 *           | 'x*'                                         fire on every call
 * </pre>
 * Example: {@code submit:503x2,status:429x3@retry-after=1,start:drop,status:slow=2000,submit:late=5000,
 * update:lostx2,job:failed=Out of memory,job:stuck=Running,update:400x1,update@ep2:503x*,execute@ep1:drop,
 * model:missing,model:empty,model:padded=104857600}.
 * Unquoted failure text is taken whole (no count); quote it to add one: {@code job:failed="Out of memory"x2}.
 *
 * <p>The four ways a call can go unanswered or answered slowly differ in whether it took effect:
 * {@code drop} (never took effect), {@code lost} (took effect, no answer), {@code slow} (takes effect
 * only after the delay), {@code late} (took effect at once, the answer comes after the delay). A lost
 * or dropped call is recorded in {@link AzureMlEmulator#requests()} with status 0.
 */
public final class FaultPlan {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final EndpointFaults everyEndpoint = new EndpointFaults(null);

    public FaultPlan() {
    }

    /**
     * Call faults limited to the scoring endpoint {@code endpoint}: they fire only on {@code update},
     * {@code get-endpoint} and {@code execute} calls whose path names it (other operations are refused). They
     * are added to this plan, in order with its other faults; faults added to the plan itself still match
     * every endpoint.
     */
    public EndpointFaults forEndpoint(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Fault.requireScope(Operation.UPDATE, endpoint);
        return new EndpointFaults(endpoint);
    }

    /** A plan holding the faults of a text spec (grammar in the class comment). */
    public static FaultPlan parse(String spec) {
        FaultPlan plan = new FaultPlan();
        plan.add(spec);
        return plan;
    }

    /** Adds the faults of a text spec; nothing is added if any rule is malformed. */
    public List<Fault> add(String spec) {
        List<Fault> parsed = FaultSpecParser.parse(spec);
        faults.addAll(parsed);
        return parsed;
    }

    /** Answer {@code status} (400..599) {@code times} times (or {@link Fault#ALWAYS}) on {@code operation}. */
    public Fault respondWithStatus(Operation operation, int status, int times) {
        return everyEndpoint.respondWithStatus(operation, status, times);
    }

    /** As {@link #respondWithStatus(Operation, int, int)}, with a {@code Retry-After} header (whole seconds). */
    public Fault respondWithStatus(Operation operation, int status, int times, Duration retryAfter) {
        return everyEndpoint.respondWithStatus(operation, status, times, retryAfter);
    }

    /** Close the connection without processing the call or answering: the request never took effect. */
    public Fault dropConnection(Operation operation, int times) {
        return everyEndpoint.dropConnection(operation, times);
    }

    /**
     * Process the call (a submit creates the job, a start starts it, a PATCH updates the endpoint), then
     * close the connection without the answer: it took effect, the answer was lost.
     */
    public Fault loseAnswer(Operation operation, int times) {
        return everyEndpoint.loseAnswer(operation, times);
    }

    /** Wait {@code delay}, then process the call and answer: nothing happens before the delay is over. */
    public Fault delay(Operation operation, Duration delay, int times) {
        return everyEndpoint.delay(operation, delay, times);
    }

    /**
     * Process the call at once, but send its answer only {@code delay} after the request arrived (or when
     * it is ready, if that takes longer). The wait is scheduled; if the client has gone meanwhile, the call
     * has taken effect all the same.
     */
    public Fault answerLate(Operation operation, Duration delay, int times) {
        return everyEndpoint.answerLate(operation, delay, times);
    }

    /** The next {@code times} started jobs end Failed with {@code details}. */
    public Fault failJobs(String details, int times) {
        return add(Fault.jobFailed(details, times));
    }

    /** The next {@code times} started jobs stay in {@code status} (NotStarted or Running) forever. */
    public Fault stickJobs(JobStatus status, int times) {
        return add(Fault.jobStuck(status, times));
    }

    /**
     * The next {@code times} trained model blobs are not written (but their jobs still report them). Each model
     * a job writes counts: a job with two trained-model outputs takes up to two firings, the first model first.
     */
    public Fault omitModel(int times) {
        return add(Fault.model(Fault.Kind.MODEL_MISSING, times));
    }

    /** The next {@code times} trained model blobs are written with zero bytes (counted as {@link #omitModel}). */
    public Fault writeEmptyModel(int times) {
        return add(Fault.model(Fault.Kind.MODEL_EMPTY, times));
    }

    /**
     * The next {@code times} trained model blobs (counted as {@link #omitModel}) get {@code bytes} of padding
     * (spaces) appended, so that fetching them takes measurable time. The model reader ignores the padding: a PATCH with
     * it succeeds and the endpoint scores as with the unpadded model. The blob is streamed to storage in
     * blocks, never held in memory whole, so the padding may be large (1 GiB).
     */
    public Fault padModel(long bytes, int times) {
        return add(Fault.modelPadded(bytes, times));
    }

    /** Removes every fault (their counts stay readable on the Fault objects). */
    public void clear() {
        faults.clear();
    }

    /** All faults, fired-out ones included, in the order they were added. */
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** How many injected faults fired on this operation. */
    public int firedCount(Operation operation) {
        return faults.stream().filter(f -> f.operation() == operation).mapToInt(Fault::firedCount).sum();
    }

    /** How many faults of this kind fired. */
    public int firedCount(Fault.Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind).mapToInt(Fault::firedCount).sum();
    }

    public int totalFired() {
        return faults.stream().mapToInt(Fault::firedCount).sum();
    }

    @Override
    public String toString() {
        return String.join(",", faults.stream().map(Fault::toString).toList());
    }

    /** The next call fault due on a call that names no endpoint (endpoint-limited faults do not match it). */
    Optional<Fault> takeHttpFault(Operation operation) {
        return takeHttpFault(operation, null);
    }

    /** The next call fault due on a call of {@code operation} whose path names {@code endpoint} (or null: none). */
    Optional<Fault> takeHttpFault(Operation operation, String endpoint) {
        return take(f -> f.matchesCall(operation, endpoint));
    }

    Optional<Fault> takeJobFault() {
        return take(f -> f.kind() == Fault.Kind.JOB_FAILED || f.kind() == Fault.Kind.JOB_STUCK);
    }

    Optional<Fault> takeModelFault() {
        return take(f -> f.kind().isModel());
    }

    private Optional<Fault> take(Predicate<Fault> matches) {
        for (Fault fault : faults) {
            if (matches.test(fault) && fault.tryFire()) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    private Fault add(Fault fault) {
        faults.add(fault);
        return fault;
    }

    /**
     * Call faults of one {@link FaultPlan}, limited to one scoring endpoint (see {@link FaultPlan#forEndpoint});
     * each method is the plan's method of the same name, firing only on calls whose path names the endpoint.
     */
    public final class EndpointFaults {

        /** null: every call, whatever endpoint it names. */
        private final String endpoint;

        private EndpointFaults(String endpoint) {
            this.endpoint = endpoint;
        }

        /** The endpoint these faults are limited to. */
        public String endpoint() {
            return endpoint;
        }

        /** See {@link FaultPlan#respondWithStatus(Operation, int, int)}. */
        public Fault respondWithStatus(Operation operation, int status, int times) {
            return respondWithStatus(operation, status, times, null);
        }

        /** See {@link FaultPlan#respondWithStatus(Operation, int, int, Duration)}. */
        public Fault respondWithStatus(Operation operation, int status, int times, Duration retryAfter) {
            return add(Fault.httpStatus(operation, endpoint, status, times, retryAfter));
        }

        /** See {@link FaultPlan#dropConnection(Operation, int)}. */
        public Fault dropConnection(Operation operation, int times) {
            return add(Fault.noAnswer(Fault.Kind.DROP_CONNECTION, operation, endpoint, times));
        }

        /** See {@link FaultPlan#loseAnswer(Operation, int)}. */
        public Fault loseAnswer(Operation operation, int times) {
            return add(Fault.noAnswer(Fault.Kind.LOST_ANSWER, operation, endpoint, times));
        }

        /** See {@link FaultPlan#delay(Operation, Duration, int)}. */
        public Fault delay(Operation operation, Duration delay, int times) {
            return add(Fault.delayed(Fault.Kind.DELAY, operation, endpoint, delay, times));
        }

        /** See {@link FaultPlan#answerLate(Operation, Duration, int)}. */
        public Fault answerLate(Operation operation, Duration delay, int times) {
            return add(Fault.delayed(Fault.Kind.LATE_ANSWER, operation, endpoint, delay, times));
        }
    }
}

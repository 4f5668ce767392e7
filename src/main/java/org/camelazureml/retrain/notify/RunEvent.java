package org.camelazureml.retrain.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a run ended (or why a trigger was skipped), as sent to the notification endpoints. Its JSON form is documented
 * by {@code run-event.schema.json} (packaged in the jar, version in {@link #SCHEMA}); fields are only ever added
 * within a version. Holds no secrets: locations are container/path, never URLs with a SAS.
 *
 * @param status SUCCEEDED, FAILED, CANCELLED, REJECTED, SKIPPED (a run of the pipeline was in flight) or
 *               INTERRUPTED (the application stopped; the run resumes on the next start)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(
        String schema,
        String pipeline,
        String runId,
        String kind,
        String rollbackOf,
        String jobId,
        String status,
        String failedStep,
        String error,
        String summary,
        List<Model> models,
        List<String> endpointsUpdated,
        List<EndpointFailure> endpointsFailed,
        Gate gate,
        Timings timings,
        String inFlightRunId,
        String node,
        Instant emittedAt) {

    public static final String SCHEMA = "camel-azureml-retrain/run-event/v1";

    /** An archived model: its training output, blob, size and SHA-256. */
    public record Model(String output, String relativeLocation, long sizeBytes, String sha256) {
    }

    /** An endpoint that did not get the new model, and why. */
    public record EndpointFailure(String endpoint, String error) {
    }

    /** The quality gate's decision. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(String metric, Double value, Double liveValue, boolean passed, String reason) {
    }

    /** When the run started and ended, and how long each step, the job's queueing and its running took (seconds). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timings(Instant createdAt, Instant finishedAt, Double totalSeconds, Map<String, Double> stepSeconds,
            Double jobQueueSeconds, Double jobRunSeconds) {
    }
}

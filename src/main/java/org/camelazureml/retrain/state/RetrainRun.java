package org.camelazureml.retrain.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.camelazureml.retrain.azureml.JobStatus;

/**
 * The durable state of one retraining run: what the pipeline has done so far, written to the {@link RunStore}
 * before each remote side effect so a restart can continue the same run (same job id) instead of starting over.
 * It holds no secrets: locations are container/path, never URLs with a SAS.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrainRun {

    private String runId;
    private String pipeline;
    private String owner;
    private Instant updatedAt;
    private RunStatus status = RunStatus.RUNNING;
    private PipelineStep step = PipelineStep.SUBMIT;
    private String jobId;
    private JobStatus jobStatus;
    private String jobDetails;
    private Instant createdAt;
    private Instant submitSentAt;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant lastPolledAt;
    private Instant jobRunningAt;
    private Instant jobEndedAt;
    private Instant finishedAt;
    private int pollCount;
    private Map<PipelineStep, Instant> stepStartedAt = new EnumMap<>(PipelineStep.class);
    private Map<PipelineStep, Integer> retries = new EnumMap<>(PipelineStep.class);
    private String lastRetryCause;
    private RunKind kind = RunKind.TRAINING;
    private String rollbackOf;
    private Map<String, String> outputs = new LinkedHashMap<>();
    private List<ModelRecord> models = new ArrayList<>();
    private Map<String, Double> metrics;
    private GateDecision gate;
    private List<String> endpoints = new ArrayList<>();
    private List<EndpointUpdate> updates = new ArrayList<>();
    private String error;

    public RetrainRun() {
        // for Jackson
    }

    public RetrainRun(String runId, String pipeline, Instant createdAt) {
        this.runId = runId;
        this.pipeline = pipeline;
        this.createdAt = createdAt;
        this.stepStartedAt.put(PipelineStep.SUBMIT, createdAt);
    }

    /** A trained model as archived: its training output, blob, local copy, size and SHA-256. */
    public record ModelRecord(String output, String relativeLocation, String archivePath, long sizeBytes,
            String sha256) {
    }

    /**
     * The quality gate's decision with the numbers that made it: the new model's metric, the live model's (null when
     * none is recorded), the bars.
     */
    public record GateDecision(String metric, boolean higherIsBetter, Double value, Double liveValue, String liveRunId,
            Double threshold, double minImprovement, boolean passed, String reason) {
    }

    /** Outcome of an endpoint's update. */
    public enum UpdateStatus {
        UPDATED,
        FAILED
    }

    /**
     * What one scoring endpoint was told and how it went: the model (by output and SHA-256) now behind its resource,
     * whether reading the endpoint back confirmed it (null: the description cannot say), or why it failed.
     */
    public record EndpointUpdate(String endpoint, String url, String resourceName, String modelOutput, String sha256,
            UpdateStatus status, Instant at, Boolean confirmed, String error) {
    }

    /** True while the training job has not reached a terminal status: the route keeps polling. */
    @JsonIgnore
    public boolean isAwaitingTrainingJob() {
        return status == RunStatus.RUNNING && step == PipelineStep.POLL;
    }

    /** True while an endpoint this run updates has no outcome yet: the route updates the next one. */
    @JsonIgnore
    public boolean isUpdatePending() {
        return status == RunStatus.RUNNING && step == PipelineStep.UPDATE && nextEndpoint() != null;
    }

    /** The first endpoint of this run without an outcome, or null. */
    @JsonIgnore
    public String nextEndpoint() {
        return endpoints.stream().filter(name -> update(name) == null).findFirst().orElse(null);
    }

    /** This run's outcome on an endpoint, or null. */
    public EndpointUpdate update(String endpoint) {
        return updates.stream().filter(update -> update.endpoint().equals(endpoint)).findFirst().orElse(null);
    }

    /** The archived model of a training output, or null. */
    public ModelRecord model(String output) {
        return models.stream().filter(model -> model.output().equals(output)).findFirst().orElse(null);
    }

    public String getRunId() {
        return runId;
    }

    public void setRunId(String runId) {
        this.runId = runId;
    }

    /** The node that runs it ({@code retrain.node.name}); another node takes it over only when it went quiet. */
    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    /** When the store last saved it; a run in flight is saved at least every heartbeat, so this shows it is alive. */
    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
    }

    /** Total retries of a step's remote call after transient failures, by step. */
    public Map<PipelineStep, Integer> getRetries() {
        return retries;
    }

    public void setRetries(Map<PipelineStep, Integer> retries) {
        this.retries = retries == null || retries.isEmpty() ? new EnumMap<>(PipelineStep.class) : new EnumMap<>(retries);
    }

    public String getLastRetryCause() {
        return lastRetryCause;
    }

    public void setLastRetryCause(String lastRetryCause) {
        this.lastRetryCause = lastRetryCause;
    }

    /**
     * When the submit request was sent. Set (and saved) before sending: a run resumed with this set and no job id
     * may have a job on the service that it never heard of, so it must not submit again.
     */
    public Instant getSubmitSentAt() {
        return submitSentAt;
    }

    public void setSubmitSentAt(Instant submitSentAt) {
        this.submitSentAt = submitSentAt;
    }

    public String getPipeline() {
        return pipeline;
    }

    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
    }

    public RunStatus getStatus() {
        return status;
    }

    public void setStatus(RunStatus status) {
        this.status = status;
    }

    public PipelineStep getStep() {
        return step;
    }

    /** Moves the run on to {@code next} and records when it got there (for step durations). */
    public void enter(PipelineStep next, Instant at) {
        this.step = next;
        stepStartedAt.putIfAbsent(next, at);
    }

    /**
     * When the run left {@code step}: when it reached a later one, or finished. Null while it is still in it (or never
     * got there).
     */
    public Instant stepEndedAt(PipelineStep step) {
        if (!stepStartedAt.containsKey(step)) {
            return null;
        }
        return stepStartedAt.entrySet().stream().filter(entry -> entry.getKey().ordinal() > step.ordinal())
                .map(Map.Entry::getValue).findFirst().orElse(finishedAt);
    }

    /** When the run reached each step (the first step: its creation). */
    public Map<PipelineStep, Instant> getStepStartedAt() {
        return stepStartedAt;
    }

    public void setStepStartedAt(Map<PipelineStep, Instant> stepStartedAt) {
        this.stepStartedAt = stepStartedAt == null || stepStartedAt.isEmpty() ? new EnumMap<>(PipelineStep.class)
                : new EnumMap<>(stepStartedAt);
    }

    public void setStep(PipelineStep step) {
        this.step = step;
    }

    public String getJobId() {
        return jobId;
    }

    public void setJobId(String jobId) {
        this.jobId = jobId;
    }

    public JobStatus getJobStatus() {
        return jobStatus;
    }

    public void setJobStatus(JobStatus jobStatus) {
        this.jobStatus = jobStatus;
    }

    public String getJobDetails() {
        return jobDetails;
    }

    public void setJobDetails(String jobDetails) {
        this.jobDetails = jobDetails;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public Instant getSubmittedAt() {
        return submittedAt;
    }

    public void setSubmittedAt(Instant submittedAt) {
        this.submittedAt = submittedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(Instant startedAt) {
        this.startedAt = startedAt;
    }

    public Instant getLastPolledAt() {
        return lastPolledAt;
    }

    public void setLastPolledAt(Instant lastPolledAt) {
        this.lastPolledAt = lastPolledAt;
    }

    /** When a status call first saw the job Running (its time queued in NotStarted ends here). */
    public Instant getJobRunningAt() {
        return jobRunningAt;
    }

    public void setJobRunningAt(Instant jobRunningAt) {
        this.jobRunningAt = jobRunningAt;
    }

    public Instant getJobEndedAt() {
        return jobEndedAt;
    }

    public void setJobEndedAt(Instant jobEndedAt) {
        this.jobEndedAt = jobEndedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(Instant finishedAt) {
        this.finishedAt = finishedAt;
    }

    public int getPollCount() {
        return pollCount;
    }

    public void setPollCount(int pollCount) {
        this.pollCount = pollCount;
    }

    public Map<String, String> getOutputs() {
        return outputs;
    }

    public void setOutputs(Map<String, String> outputs) {
        this.outputs = outputs;
    }

    public RunKind getKind() {
        return kind;
    }

    public void setKind(RunKind kind) {
        this.kind = kind;
    }

    /** For a rollback: the run whose models it puts back. */
    public String getRollbackOf() {
        return rollbackOf;
    }

    public void setRollbackOf(String rollbackOf) {
        this.rollbackOf = rollbackOf;
    }

    public List<ModelRecord> getModels() {
        return models;
    }

    public void setModels(List<ModelRecord> models) {
        this.models = models == null ? new ArrayList<>() : new ArrayList<>(models);
    }

    /** The evaluation metrics of the training job (metric name to value), when a gate reads them. */
    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public GateDecision getGate() {
        return gate;
    }

    public void setGate(GateDecision gate) {
        this.gate = gate;
    }

    /** The scoring endpoints (by configured name) this run updates, in order. */
    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints == null ? new ArrayList<>() : new ArrayList<>(endpoints);
    }

    public List<EndpointUpdate> getUpdates() {
        return updates;
    }

    public void setUpdates(List<EndpointUpdate> updates) {
        this.updates = updates == null ? new ArrayList<>() : new ArrayList<>(updates);
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    @Override
    public String toString() {
        return "RetrainRun[" + pipeline + "/" + runId + " " + status + " at " + step
                + (jobId == null ? "" : ", job " + jobId) + (error == null ? "" : ", error: " + error) + "]";
    }
}

package org.camelazureml.retrain.state;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
    private Instant jobEndedAt;
    private Instant finishedAt;
    private int pollCount;
    private Map<PipelineStep, Integer> retries = new EnumMap<>(PipelineStep.class);
    private String lastRetryCause;
    private Map<String, String> outputs = new LinkedHashMap<>();
    private ModelRecord model;
    private EndpointUpdate update;
    private String error;

    public RetrainRun() {
        // for Jackson
    }

    public RetrainRun(String runId, String pipeline, Instant createdAt) {
        this.runId = runId;
        this.pipeline = pipeline;
        this.createdAt = createdAt;
    }

    /** The trained model as archived: where it came from, where it is, how big, its SHA-256. */
    public record ModelRecord(String relativeLocation, String archivePath, long sizeBytes, String sha256) {
    }

    /** What the scoring endpoint was told, and whether reading it back confirmed it (null: cannot confirm). */
    public record EndpointUpdate(String endpoint, String resourceName, Instant updatedAt, Boolean confirmed) {
    }

    /** True while the training job has not reached a terminal status: the route keeps polling. */
    @JsonIgnore
    public boolean isAwaitingTrainingJob() {
        return status == RunStatus.RUNNING && step == PipelineStep.POLL;
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

    public ModelRecord getModel() {
        return model;
    }

    public void setModel(ModelRecord model) {
        this.model = model;
    }

    public EndpointUpdate getUpdate() {
        return update;
    }

    public void setUpdate(EndpointUpdate update) {
        this.update = update;
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

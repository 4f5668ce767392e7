package org.camelazureml.retrain.steps;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.EndpointDescription;
import org.camelazureml.retrain.azureml.JobStatusResponse;
import org.camelazureml.retrain.azureml.UpdateResourceRequest;
import org.camelazureml.retrain.azureml.UpdateResourceRequest.ModelLocation;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.ModelRecord;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.storage.BlobLocation;
import org.camelazureml.retrain.storage.ModelStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UpdateResource {@code PATCH} on the next scoring endpoint of the run that has no outcome yet (the route calls it
 * until every endpoint has one). The service reads the model through the SAS at patch time, so the SAS is fresh:
 * signed here, read-only and scoped to the one blob, when the connection string holds an account key; otherwise
 * taken from a fresh status call of the job. Afterwards a {@code GET} of the endpoint confirms the change where the
 * answer lists its resources; an answer we cannot read leaves the update "unconfirmed", never failed.
 * <p>
 * A transient failure is retried by the route; once no retry will follow, or for a permanent failure, the endpoint's
 * failure is recorded and the run goes on with the next endpoint, so every endpoint gets its outcome.
 */
public class UpdateScoringResource extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateScoringResource.class);

    private final RetryPolicy retryPolicy;

    public UpdateScoringResource(PipelineResources resources, RetryPolicy retryPolicy) {
        super(resources);
        this.retryPolicy = retryPolicy;
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (!run.isUpdatePending()) {
            return;
        }
        EndpointConfig endpoint = pipeline.scoring().endpoint(run.nextEndpoint());
        ModelRecord model = run.model(endpoint.modelOutput());
        if (model == null) {
            record(run, endpoint, null, UpdateStatus.FAILED, null, "the run has no model from output '"
                    + endpoint.modelOutput() + "'");
            return;
        }
        BlobLocation blob = BlobLocation.parse(model.relativeLocation());
        try {
            ModelLocation location = freshLocation(run, pipeline, endpoint, blob);
            resources.azureMl().updateResource(endpoint.target(),
                    UpdateResourceRequest.of(endpoint.trainedModelName(), location));
        } catch (AzureMlCallException e) {
            if (retryPolicy.wouldRetry(exchange, e)) {
                throw e;
            }
            record(run, endpoint, model, UpdateStatus.FAILED, null, e.getMessage());
            LOG.error("Scoring endpoint '{}' was NOT updated: {}", endpoint.name(), e.getMessage());
            return;
        } catch (RunFailedException e) {
            record(run, endpoint, model, UpdateStatus.FAILED, null, e.getMessage());
            LOG.error("Scoring endpoint '{}' was NOT updated: {}", endpoint.name(), e.getMessage());
            return;
        }
        Boolean confirmed = confirm(endpoint, blob);
        record(run, endpoint, model, UpdateStatus.UPDATED, confirmed, null);
        LOG.info("Scoring endpoint '{}' ({}) now uses model {} (sha256 {}){}", endpoint.name(), endpoint.target().url(),
                blob, model.sha256(), confirmed == null ? "; the endpoint's description cannot confirm it"
                        : confirmed ? "; confirmed by reading the endpoint back" : "; WARNING: reading the endpoint"
                                + " back shows another model");
    }

    private void record(RetrainRun run, EndpointConfig endpoint, ModelRecord model, UpdateStatus status,
            Boolean confirmed, String error) {
        run.getUpdates().add(new EndpointUpdate(endpoint.name(), endpoint.target().url().toString(),
                endpoint.trainedModelName(), endpoint.modelOutput(), model == null ? null : model.sha256(), status,
                resources.clock().instant(), confirmed, error));
        if (run.nextEndpoint() == null) {
            run.enter(PipelineStep.DONE, resources.clock().instant());
        }
        // a crash that undoes it sends the same update again, which leaves the endpoint as it is
        saveProgress(run);
    }

    private ModelLocation freshLocation(RetrainRun run, PipelineConfig pipeline, EndpointConfig endpoint,
            BlobLocation blob) {
        ModelStorage storage = resources.storage(run.getPipeline());
        Optional<String> sas = storage.readOnlySas(blob, pipeline.scoring().sasValidity());
        if (sas.isPresent()) {
            return new ModelLocation(storage.baseLocation(), blob.relativeLocation(), sas.get());
        }
        JobStatusResponse status = resources.azureMl().jobStatus(pipeline.training().service(), run.getJobId());
        BlobReference result = status.results() == null ? null : status.results().get(endpoint.modelOutput());
        if (result == null || result.sasBlobToken() == null || result.baseLocation() == null) {
            throw new RunFailedException("the connection string has no account key to sign a SAS, and job "
                    + run.getJobId() + " lists no SAS for output '" + endpoint.modelOutput() + "'");
        }
        BlobLocation reported = BlobLocation.parse(result.relativeLocation());
        if (!reported.equals(blob)) {
            throw new RunFailedException("job " + run.getJobId() + " reports the model at " + reported
                    + ", not at the archived " + blob);
        }
        return new ModelLocation(result.baseLocation(), blob.relativeLocation(), result.sasBlobToken());
    }

    /** True: the endpoint lists our model; false: it lists another one; null: its description does not say. */
    private Boolean confirm(EndpointConfig endpoint, BlobLocation blob) {
        try {
            Optional<EndpointDescription> description = resources.azureMl().describeEndpoint(endpoint.target());
            return description.flatMap(d -> d.resources().stream()
                            .filter(resource -> endpoint.trainedModelName().equals(resource.name()))
                            .findFirst())
                    .filter(resource -> resource.location() != null && resource.location().relativeLocation() != null)
                    .map(resource -> blob.relativeLocation().equals(resource.location().relativeLocation()))
                    .orElse(null);
        } catch (AzureMlCallException e) {
            LOG.info("Could not read scoring endpoint '{}' back to confirm the update: {}", endpoint.name(),
                    e.getMessage());
            return null;
        }
    }
}

package org.camelazureml.retrain.steps;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.EndpointDescription;
import org.camelazureml.retrain.azureml.JobStatusResponse;
import org.camelazureml.retrain.azureml.UpdateResourceRequest;
import org.camelazureml.retrain.azureml.UpdateResourceRequest.ModelLocation;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.ScoringConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.storage.BlobLocation;
import org.camelazureml.retrain.storage.ModelStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UpdateResource {@code PATCH}: points the scoring endpoint at the run's model. The service reads the model
 * through the SAS at patch time, so the SAS is fresh: signed here, read-only and scoped to the one blob, when the
 * connection string holds an account key; otherwise taken from a fresh status call of the job (the one from the
 * last poll may have expired). Afterwards a {@code GET} of the endpoint confirms the change where the answer
 * lists its resources; an answer we cannot read leaves the update "unconfirmed", never failed.
 */
public class UpdateScoringResource extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateScoringResource.class);

    public UpdateScoringResource(PipelineResources resources) {
        super(resources);
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (run.getStep() != PipelineStep.UPDATE) {
            return;
        }
        ScoringConfig scoring = pipeline.scoring();
        BlobLocation blob = BlobLocation.parse(run.getModel().relativeLocation());
        ModelLocation location = freshLocation(run, pipeline, blob);
        resources.azureMl().updateResource(scoring.endpoint(),
                UpdateResourceRequest.of(scoring.trainedModelName(), location));
        Boolean confirmed = confirm(scoring, blob);
        run.setUpdate(new RetrainRun.EndpointUpdate(scoring.endpoint().url().toString(), scoring.trainedModelName(),
                resources.clock().instant(), confirmed));
        run.setStep(PipelineStep.DONE);
        save(run);
        LOG.info("Scoring endpoint {} now uses model {} (sha256 {}){}", scoring.endpoint().url(), blob,
                run.getModel().sha256(), confirmed == null ? "; the endpoint's description cannot confirm it"
                        : confirmed ? "; confirmed by reading the endpoint back" : "; WARNING: reading the endpoint"
                                + " back shows another model");
    }

    private ModelLocation freshLocation(RetrainRun run, PipelineConfig pipeline, BlobLocation blob) {
        ModelStorage storage = resources.storage(run.getPipeline());
        Optional<String> sas = storage.readOnlySas(blob, pipeline.scoring().sasValidity());
        if (sas.isPresent()) {
            return new ModelLocation(storage.baseLocation(), blob.relativeLocation(), sas.get());
        }
        JobStatusResponse status = resources.azureMl().jobStatus(pipeline.training().service(), run.getJobId());
        BlobReference result = status.results() == null ? null
                : status.results().get(pipeline.training().modelOutput());
        if (result == null || result.sasBlobToken() == null || result.baseLocation() == null) {
            throw new RunFailedException("update scoring resource: the connection string has no account key to sign"
                    + " a SAS, and the job's status lists no SAS for output '" + pipeline.training().modelOutput()
                    + "'");
        }
        BlobLocation reported = BlobLocation.parse(result.relativeLocation());
        if (!reported.equals(blob)) {
            throw new RunFailedException("update scoring resource: the job reports the model at " + reported
                    + ", not at the archived " + blob);
        }
        return new ModelLocation(result.baseLocation(), blob.relativeLocation(), result.sasBlobToken());
    }

    /** True: the endpoint lists our model; false: it lists another one; null: its description does not say. */
    private Boolean confirm(ScoringConfig scoring, BlobLocation blob) {
        try {
            Optional<EndpointDescription> description = resources.azureMl().describeEndpoint(scoring.endpoint());
            return description.flatMap(d -> d.resources().stream()
                            .filter(resource -> scoring.trainedModelName().equals(resource.name()))
                            .findFirst())
                    .filter(resource -> resource.location() != null && resource.location().relativeLocation() != null)
                    .map(resource -> blob.relativeLocation().equals(resource.location().relativeLocation()))
                    .orElse(null);
        } catch (AzureMlCallException e) {
            LOG.info("Could not read the scoring endpoint back to confirm the update: {}", e.getMessage());
            return null;
        }
    }
}

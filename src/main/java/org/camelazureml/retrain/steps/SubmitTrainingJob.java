package org.camelazureml.retrain.steps;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.azureml.BatchJobRequest;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.StorageConnection;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST .../jobs}: creates the training job with the run's inputs, its own output locations and the global
 * parameters, and records the job id the moment it is known. A run that already has a job id is not submitted again.
 * <p>
 * The submit is the one call that is not idempotent (the service has no way to say "this job already exists"), so
 * the run records that it is sending one before it does. If the answer never arrives (a crash, a timeout, a lost
 * connection, a gateway error), the service may have created a job this run will never know; the run then fails
 * with that explanation instead of submitting again, so there is never a second job. A submit the service
 * certainly did not act on (it answered 429/503, or the connection was refused) is retried.
 */
public class SubmitTrainingJob extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitTrainingJob.class);

    public SubmitTrainingJob(PipelineResources resources) {
        super(resources);
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (run.getJobId() != null) {
            return;
        }
        if (run.getSubmitSentAt() != null) {
            throw new RunFailedException("submit training job: a submit was sent at " + run.getSubmitSentAt()
                    + " but its answer never arrived, so the service may have created a job this run does not know."
                    + " Not submitting again (that could start a second job); check the training web service's jobs"
                    + " and let the next run start afresh");
        }
        run.setSubmitSentAt(resources.clock().instant());
        save(run);
        String jobId;
        try {
            jobId = resources.azureMl().submitJob(pipeline.training().service(), request(run, pipeline));
        } catch (AzureMlCallException e) {
            if (!e.provesNotAccepted()) {
                throw new RunFailedException("submit training job: the outcome is unknown (" + e.getMessage() + ");"
                        + " the service may have created a job. Not submitting again, so that no second job runs",
                        RunStatus.FAILED, e);
            }
            run.setSubmitSentAt(null);
            save(run);
            throw e;
        }
        run.setJobId(jobId);
        run.setSubmittedAt(resources.clock().instant());
        run.enter(PipelineStep.START, resources.clock().instant());
        save(run);
        RunMdc.refresh(run);
        LOG.info("Submitted training job {}", jobId);
    }

    static BatchJobRequest request(RetrainRun run, PipelineConfig pipeline) {
        Map<String, BlobReference> inputs = new LinkedHashMap<>();
        pipeline.training().inputs().forEach((port, location) -> inputs.put(port, blob(pipeline.storage(), location)));
        Map<String, BlobReference> outputs = new LinkedHashMap<>();
        run.getOutputs().forEach((port, location) -> outputs.put(port, blob(pipeline.storage(), location)));
        return new BatchJobRequest(inputs, outputs, pipeline.training().globalParameters());
    }

    /**
     * The account-key form (ConnectionString + RelativeLocation) when the connection string holds a key, else the
     * SAS form (BaseLocation + RelativeLocation + SasBlobToken) with the connection string's own SAS.
     */
    private static BlobReference blob(StorageConnection storage, String location) {
        return storage.hasAccountKey()
                ? BlobReference.withConnectionString(storage.connectionString().reveal(), location)
                : BlobReference.withSas(storage.baseLocation(), location, "?" + storage.sasToken().reveal());
    }
}

package org.camelazureml.retrain.steps;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.BatchJobRequest;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.StorageConnection;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST .../jobs}: creates the training job with the run's inputs, its own output locations and the global
 * parameters, and records the job id the moment it is known. A run that already has a job id is not submitted again.
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
        String jobId = resources.azureMl().submitJob(pipeline.training().service(), request(run, pipeline));
        run.setJobId(jobId);
        run.setSubmittedAt(resources.clock().instant());
        run.setStep(PipelineStep.START);
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

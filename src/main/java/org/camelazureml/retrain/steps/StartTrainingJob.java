package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.storage.BlobLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST .../jobs/{id}/start}: a submitted job does nothing until it is started. Starting is safe to repeat:
 * when the service answers CannotStartJob the job was already started (an earlier attempt whose answer was lost, or
 * a run resumed after a crash), and polling tells how it is doing.
 */
public class StartTrainingJob extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(StartTrainingJob.class);

    public StartTrainingJob(PipelineResources resources) {
        super(resources);
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (run.getStep() != PipelineStep.START) {
            return;
        }
        try {
            resources.azureMl().startJob(pipeline.training().service(), run.getJobId());
            run.setStartedAt(resources.clock().instant());
        } catch (AzureMlCallException e) {
            if (!e.detailCodes().contains("CannotStartJob")) {
                throw e;
            }
            // Started by an attempt whose answer was lost, or before a crash undid its record: when is not known, so
            // the start time stays as recorded (none after a crash: no queue time is reported from a guess, and the
            // first status call goes at once, as the job may have been running for a while).
            LOG.info("Training job {} was already started (the service answered CannotStartJob)", run.getJobId());
        }
        run.enter(PipelineStep.POLL, resources.clock().instant());
        saveProgress(run); // if a crash undoes it, the job is started again: the service answers CannotStartJob
        LOG.info("Started training job {}; polling every {}", run.getJobId(), Durations.format(pipeline.pollInterval()));
        // The storage client's first request is slow in a fresh JVM: make it now, while the job runs, not in the fetch.
        run.getOutputs().values().stream().findFirst().map(BlobLocation::parse)
                .ifPresent(model -> resources.storage(run.getPipeline()).prepare(model.container()));
    }
}

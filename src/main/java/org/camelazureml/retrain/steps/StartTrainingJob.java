package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST .../jobs/{id}/start}: a submitted job does nothing until it is started. */
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
        resources.azureMl().startJob(pipeline.training().service(), run.getJobId());
        run.setStartedAt(resources.clock().instant());
        run.setStep(PipelineStep.POLL);
        save(run);
        LOG.info("Started training job {}; polling every {}", run.getJobId(), Durations.format(pipeline.pollInterval()));
    }
}

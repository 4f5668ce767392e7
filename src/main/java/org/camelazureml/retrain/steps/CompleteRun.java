package org.camelazureml.retrain.steps;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a run that deployed its model as SUCCEEDED; the run becomes the exchange body (the reply to a caller).
 * A run that reaches this step unfinished (polling was interrupted by a shutdown) stays RUNNING, recorded where it
 * stopped, so the next start resumes it.
 */
public class CompleteRun extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(CompleteRun.class);

    public CompleteRun(PipelineResources resources) {
        super(resources);
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        exchange.getMessage().setBody(run);
        if (run.getStep() != PipelineStep.DONE) {
            exchange.setProperty(CreateRun.SUMMARY, FailRun.summary(run) + " interrupted by shutdown at step '"
                    + run.getStep().description() + "'; it resumes on the next start");
            LOG.warn("Run interrupted at step '{}' (shutting down); it stays recorded and resumes on the next start",
                    run.getStep().description());
            return;
        }
        run.setStatus(RunStatus.SUCCEEDED);
        run.setFinishedAt(resources.clock().instant());
        save(run);
        exchange.setProperty(CreateRun.SUMMARY, FailRun.summary(run) + " SUCCEEDED: model sha256 "
                + run.getModel().sha256() + " is live on " + run.getUpdate().endpoint());
        LOG.info("Run SUCCEEDED in {}: model sha256 {} is live on {}",
                Durations.format(Duration.between(run.getCreatedAt(), run.getFinishedAt())), run.getModel().sha256(),
                run.getUpdate().endpoint());
    }
}

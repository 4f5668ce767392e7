package org.camelazureml.retrain.steps;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.config.Durations;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run that went through every endpoint: SUCCEEDED when every endpoint is on the new model; otherwise the run
 * fails, saying which endpoints are on the new model and which are not (nothing reports success that did not
 * happen). The run becomes the exchange body (the reply to a caller). A run that reaches this step unfinished
 * (interrupted by a shutdown) stays RUNNING, recorded where it stopped, so the next start resumes it.
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
        List<EndpointUpdate> failed = run.getUpdates().stream()
                .filter(update -> update.status() == UpdateStatus.FAILED).toList();
        if (!failed.isEmpty()) {
            run.setStep(PipelineStep.UPDATE); // the step that failed, for the record
            List<String> updated = run.getUpdates().stream().filter(update -> update.status() == UpdateStatus.UPDATED)
                    .map(EndpointUpdate::endpoint).toList();
            StringBuilder message = new StringBuilder("update scoring resource: ").append(failed.size()).append(" of ")
                    .append(run.getUpdates().size()).append(" endpoints NOT on the new model");
            failed.forEach(update -> message.append("; '").append(update.endpoint()).append("': ")
                    .append(update.error()));
            message.append(". On the new model: ").append(updated.isEmpty() ? "none" : updated);
            throw new RunFailedException(message.toString());
        }
        run.setStatus(RunStatus.SUCCEEDED);
        run.setFinishedAt(resources.clock().instant());
        save(run);
        String models = run.getModels().stream().map(model -> model.output() + " sha256 " + model.sha256()).toList()
                .toString();
        exchange.setProperty(CreateRun.SUMMARY, FailRun.summary(run) + " SUCCEEDED: " + models + " live on "
                + run.getEndpoints());
        LOG.info("Run SUCCEEDED in {}: {} live on {}", Durations.format(Duration.between(run.getCreatedAt(),
                run.getFinishedAt())), models, run.getEndpoints());
    }
}

package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's error handler: records why a run ended without a deployment (FAILED, or CANCELLED when the training
 * job was cancelled) with the step it ended in, logs it once, and makes the run the exchange body.
 */
public class FailRun implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailRun.class);

    private final PipelineResources resources;

    public FailRun(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String message = cause == null ? "unknown error" : Redaction.redact(
                cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
        RetrainRun run = exchange.getProperty(RunStep.RUN_PROPERTY, RetrainRun.class);
        if (run == null) {
            LOG.error("Retraining run could not be created: {}", message, cause);
            return;
        }
        run.setStatus(cause instanceof RunFailedException failed ? failed.outcome() : RunStatus.FAILED);
        run.setError(message);
        run.setFinishedAt(resources.clock().instant());
        exchange.getMessage().setBody(run);
        try (RunMdc ignored = RunMdc.of(run)) {
            resources.runStore().save(run);
            if (cause instanceof RunFailedException) {
                LOG.error("Run {} at step '{}': {}", run.getStatus(), run.getStep().description(), message);
            } else {
                LOG.error("Run {} at step '{}': {}", run.getStatus(), run.getStep().description(), message, cause);
            }
        }
    }
}

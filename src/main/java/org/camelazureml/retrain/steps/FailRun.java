package org.camelazureml.retrain.steps;

import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.azureml.TransientFailure;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunKind;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's error handler: records why a run ended without a deployment (FAILED, or CANCELLED when the training
 * job was cancelled) with the step it ended in, logs it once, and makes the run the exchange body. A failure caused
 * by the application shutting down is not an outcome: the run stays RUNNING where it was, and the next start
 * resumes it.
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
            exchange.setProperty(CreateRun.SUMMARY, "A retraining run could not start: " + message);
            LOG.error("Retraining run could not start: {}", message, cause);
            return;
        }
        exchange.getMessage().setBody(run);
        try (RunMdc ignored = RunMdc.of(run)) {
            if (interruptedByShutdown(exchange, cause)) {
                exchange.setProperty(CreateRun.SUMMARY, summary(run) + " interrupted by shutdown at step '"
                        + run.getStep().description() + "'; it resumes on the next start");
                LOG.warn("Run interrupted at step '{}' by shutdown ({}); it stays recorded and resumes on the next"
                        + " start", run.getStep().description(), message);
                return;
            }
            run.setStatus(cause instanceof RunFailedException failed ? failed.outcome() : RunStatus.FAILED);
            run.setError(message);
            run.setFinishedAt(resources.clock().instant());
            resources.runStore().save(run);
            exchange.setProperty(CreateRun.SUMMARY, summary(run) + " ended " + run.getStatus() + " at step '"
                    + run.getStep().description() + "': " + message);
            if (cause instanceof RunFailedException || cause instanceof TransientFailure) {
                LOG.error("Run {} at step '{}': {}", run.getStatus(), run.getStep().description(), message);
            } else {
                LOG.error("Run {} at step '{}': {}", run.getStatus(), run.getStep().description(), message, cause);
            }
        }
    }

    static String summary(RetrainRun run) {
        return (run.getKind() == RunKind.ROLLBACK ? "Rollback " : "Run ") + run.getRunId() + " of pipeline "
                + run.getPipeline();
    }

    /** An outcome we decided (RunFailedException) stands; anything else that happens while stopping is not one. */
    private static boolean interruptedByShutdown(Exchange exchange, Throwable cause) {
        if (cause instanceof RunFailedException) {
            return false;
        }
        return cause instanceof RejectedExecutionException || !exchange.getContext().getStatus().isStarted();
    }
}

package org.camelazureml.retrain.steps;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.RetrainRun;

/**
 * A pipeline step: takes the run from the exchange (put there by {@link CreateRun}), its pipeline's
 * configuration, and does one thing. Steps are idempotent with respect to the run's recorded state, so a run that
 * resumes after a restart goes through the same route and each step skips what is already done.
 */
public abstract class RunStep implements Processor {

    /** The exchange property that carries the {@link RetrainRun}. */
    public static final String RUN_PROPERTY = "retrainRun";
    /** Whether the route's poll loop goes round again (the run's {@code awaitingTrainingJob}), after each step. */
    public static final String AWAITING_JOB_PROPERTY = "retrainAwaitingJob";
    /** Milliseconds the poll loop waits before the next status call, after each step while the job is awaited. */
    public static final String POLL_DELAY_PROPERTY = "retrainPollDelay";
    /** Whether the route's update loop goes round again (the run's {@code updatePending}), after each step. */
    public static final String UPDATE_PENDING_PROPERTY = "retrainUpdatePending";

    protected final PipelineResources resources;

    protected RunStep(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public final void process(Exchange exchange) throws Exception {
        RetrainRun run = currentRun(exchange);
        try (RunMdc ignored = RunMdc.of(run)) {
            execute(run, resources.pipeline(run.getPipeline()), exchange);
        }
        publishLoopState(exchange, run, resources);
        // The call succeeded: the next failure (of this or a later step) starts a fresh series of retries.
        Message message = exchange.getMessage();
        message.removeHeader(Exchange.REDELIVERY_COUNTER);
        message.removeHeader(Exchange.REDELIVERED);
        message.removeHeader(Exchange.REDELIVERY_DELAY);
    }

    protected abstract void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) throws Exception;

    /**
     * Puts what the route's loops test into plain exchange properties. The route reads them with
     * {@code ${exchangeProperty.name}}, a map read; reading the run's getters from the route instead
     * ({@code ${exchangeProperty.retrainRun.awaitingTrainingJob}}) is a reflective call on every loop iteration,
     * which with a thousand runs polled every second was most of the CPU time per status call.
     */
    static void publishLoopState(Exchange exchange, RetrainRun run, PipelineResources resources) {
        boolean awaiting = run.isAwaitingTrainingJob();
        exchange.setProperty(AWAITING_JOB_PROPERTY, awaiting);
        if (awaiting) {
            exchange.setProperty(POLL_DELAY_PROPERTY, PollTrainingJob.delayBeforeNextPoll(run, resources));
        }
        exchange.setProperty(UPDATE_PENDING_PROPERTY, run.isUpdatePending());
    }

    static RetrainRun currentRun(Exchange exchange) {
        RetrainRun run = exchange.getProperty(RUN_PROPERTY, RetrainRun.class);
        if (run == null) {
            throw new IllegalStateException("no retraining run on the exchange: the route must call createRun first");
        }
        return run;
    }

    /** Records the run durably: for what must survive any crash (a submit being sent, a job id, the outcome). */
    protected void save(RetrainRun run) {
        resources.runStore().save(run);
    }

    /**
     * Records progress that the step can redo (see {@link org.camelazureml.retrain.state.RunStore#saveProgress}):
     * cheaper, as a machine crash may undo it.
     */
    protected void saveProgress(RetrainRun run) {
        resources.runStore().saveProgress(run);
    }

    /**
     * Saves when the last save is older than the heartbeat, so that a long wait still shows the run is alive and no
     * other node takes it over.
     */
    protected void heartbeat(RetrainRun run) {
        Duration heartbeat = resources.config().node().heartbeat();
        if (run.getUpdatedAt() == null
                || run.getUpdatedAt().plus(heartbeat).isBefore(resources.clock().instant())) {
            saveProgress(run);
        }
    }
}

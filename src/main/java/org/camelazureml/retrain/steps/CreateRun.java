package org.camelazureml.retrain.steps;

import java.time.Instant;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the run this exchange carries. If the pipeline has an unfinished run (a restart after a crash, or a stop
 * while polling), that run is resumed: same run id, same job id, from the step it had reached. Otherwise a new run
 * is recorded, with the output locations it will write ({@code {runId}} filled in), before anything is sent.
 * When the pipeline's run is already in flight (in this process, or on another live node sharing the run store),
 * nothing is opened: the exchange is marked {@value #SKIPPED} and the route stops, as Airflow's max_active_runs=1.
 * The pipeline comes from the exchange property or header {@value #PIPELINE}, else "default".
 */
public class CreateRun implements Processor {

    public static final String PIPELINE = "retrainPipeline";
    /** Exchange property: true when this trigger was skipped because a run is in flight. */
    public static final String SKIPPED = "retrainSkipped";
    /** Exchange property: the run in flight that made this trigger skip. */
    public static final String IN_FLIGHT_RUN = "retrainInFlightRun";
    /** Exchange property: one line saying how the trigger ended, for notifications. */
    public static final String SUMMARY = "retrainSummary";

    private static final Logger LOG = LoggerFactory.getLogger(CreateRun.class);

    private final PipelineResources resources;

    public CreateRun(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getProperty(PIPELINE, String.class);
        if (name == null) {
            name = exchange.getMessage().getHeader(PIPELINE, RetrainConfig.DEFAULT_PIPELINE, String.class);
        }
        PipelineConfig pipeline = resources.pipeline(name);
        RunStore store = resources.runStore();
        Optional<RetrainRun> unfinished = store.unfinished(pipeline.name());
        RetrainRun run = unfinished.isPresent() ? resume(unfinished.get()) : begin(pipeline);
        if (run == null) {
            skip(exchange, unfinished.or(() -> store.unfinished(pipeline.name())).orElse(null), pipeline.name());
            return;
        }
        carry(exchange, run, resources);
    }

    /** Puts the run on the exchange; it counts as in flight in this process until the exchange is done. */
    static void carry(Exchange exchange, RetrainRun run, PipelineResources resources) {
        exchange.setProperty(RunStep.RUN_PROPERTY, run);
        RunStep.publishLoopState(exchange, run, resources);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                resources.unmarkInFlight(run.getRunId());
            }
        });
    }

    /** The unfinished run, claimed for this node; null when it is in flight here or on another live node. */
    private RetrainRun resume(RetrainRun unfinished) {
        String runId = unfinished.getRunId();
        if (!resources.markInFlight(runId)) {
            return null;
        }
        Instant staleBefore = resources.clock().instant().minus(resources.config().node().takeoverAfter());
        String me = resources.config().node().name();
        if (!resources.runStore().claim(unfinished.getPipeline(), runId, me, staleBefore)) {
            resources.unmarkInFlight(runId);
            return null;
        }
        RetrainRun run = resources.runStore().find(unfinished.getPipeline(), runId).orElseThrow();
        try (RunMdc ignored = RunMdc.of(run)) {
            LOG.info("Resuming run at step '{}'{}{}", run.getStep().description(),
                    run.getJobId() == null ? "" : " with training job " + run.getJobId(),
                    me.equals(unfinished.getOwner()) ? "" : " (taken over from node " + unfinished.getOwner() + ")");
        }
        return run;
    }

    /** A new run recorded as the pipeline's run in flight; null when another one won the race to begin. */
    private RetrainRun begin(PipelineConfig pipeline) {
        RetrainRun run = new RetrainRun(RunIds.next(resources.clock()), pipeline.name(), resources.clock().instant());
        run.setOwner(resources.config().node().name());
        run.setOutputs(pipeline.training().outputsFor(pipeline.name(), run.getRunId()));
        run.setEndpoints(pipeline.scoring().endpoints().stream().map(EndpointConfig::name).toList());
        resources.markInFlight(run.getRunId());
        if (resources.runStore().begin(run).isPresent()) {
            resources.unmarkInFlight(run.getRunId());
            return null;
        }
        try (RunMdc ignored = RunMdc.of(run)) {
            LOG.info("Run created; the trained model{} will be written to {}",
                    pipeline.training().modelOutputs().size() == 1 ? "" : "s",
                    pipeline.training().modelOutputs().stream().map(run.getOutputs()::get).toList());
        }
        return run;
    }

    static void skip(Exchange exchange, RetrainRun inFlight, String pipeline) {
        String summary = "Pipeline " + pipeline + ": trigger skipped, run "
                + (inFlight == null ? "(unknown)" : inFlight.getRunId() + " at step '" + inFlight.getStep().description()
                        + "' on node " + inFlight.getOwner()) + " is still in flight";
        exchange.setProperty(SKIPPED, true);
        exchange.setProperty(IN_FLIGHT_RUN, inFlight);
        exchange.setProperty(SUMMARY, summary);
        LOG.info(summary);
    }
}

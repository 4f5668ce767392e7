package org.camelazureml.retrain.steps;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.state.ModelHistory.Deployment;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a rollback: a run that puts the models of an earlier run back on scoring endpoints, through the same update
 * step as a training run, and is recorded like one (kind ROLLBACK). Headers: {@value #PIPELINE}, {@value #TO} (a run
 * id, or "previous": the model the endpoint served before its current one) and optionally {@value #ENDPOINT} (default:
 * every endpoint of the pipeline). It takes the pipeline's in-flight slot, so it never races a training run's update.
 */
public class CreateRollback implements Processor {

    public static final String PIPELINE = CreateRun.PIPELINE;
    public static final String TO = "retrainRollbackTo";
    public static final String ENDPOINT = "retrainRollbackEndpoint";
    public static final String PREVIOUS = "previous";

    private static final Logger LOG = LoggerFactory.getLogger(CreateRollback.class);

    private final PipelineResources resources;

    public CreateRollback(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public void process(Exchange exchange) {
        PipelineConfig pipeline = resources.pipeline(exchange.getMessage().getHeader(PIPELINE, "default", String.class));
        String to = exchange.getMessage().getHeader(TO, String.class);
        String only = exchange.getMessage().getHeader(ENDPOINT, String.class);
        List<String> endpoints = only != null ? List.of(pipeline.scoring().endpoint(only).name())
                : pipeline.scoring().endpoints().stream().map(EndpointConfig::name).toList();
        RetrainRun source = source(pipeline, to, endpoints.get(0));

        RetrainRun run = new RetrainRun(RunIds.next(resources.clock()), pipeline.name(), resources.clock().instant());
        run.setKind(RunKind.ROLLBACK);
        run.setRollbackOf(source.getRunId());
        run.setOwner(resources.config().node().name());
        run.setJobId(source.getJobId());
        run.setOutputs(source.getOutputs());
        run.setModels(source.getModels());
        run.setMetrics(source.getMetrics());
        run.setEndpoints(endpoints);
        run.enter(PipelineStep.UPDATE, resources.clock().instant());
        resources.markInFlight(run.getRunId());
        var inFlight = resources.runStore().begin(run);
        if (inFlight.isPresent()) {
            resources.unmarkInFlight(run.getRunId());
            CreateRun.skip(exchange, inFlight.get(), pipeline.name());
            return;
        }
        try (RunMdc ignored = RunMdc.of(run)) {
            LOG.info("Rollback created: the models of run {} go back on {}", source.getRunId(), endpoints);
        }
        CreateRun.carry(exchange, run, resources);
    }

    private RetrainRun source(PipelineConfig pipeline, String to, String endpoint) {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("rollback needs a target: a run id, or '" + PREVIOUS + "'");
        }
        String runId = to;
        if (PREVIOUS.equals(to)) {
            runId = resources.history().previous(pipeline.name(), endpoint).map(Deployment::trainedByRun)
                    .orElseThrow(() -> new IllegalArgumentException("endpoint '" + endpoint + "' of pipeline '"
                            + pipeline.name() + "' has no earlier model in the run history to go back to"));
        }
        String id = runId;
        RetrainRun source = resources.runStore().find(pipeline.name(), id).orElseThrow(() ->
                new IllegalArgumentException("pipeline '" + pipeline.name() + "' has no run " + id));
        if (source.getModels().isEmpty()) {
            throw new IllegalArgumentException("run " + id + " has no archived model to roll back to (it ended "
                    + source.getStatus() + " at step '" + source.getStep().description() + "')");
        }
        return source;
    }
}

package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.state.RetrainRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a run: a new run id, the output locations it will write ({@code {runId}} filled in), recorded before
 * anything is sent. The pipeline comes from the exchange property or header {@value #PIPELINE}, else "default".
 */
public class CreateRun implements Processor {

    public static final String PIPELINE = "retrainPipeline";

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
        RetrainRun run = new RetrainRun(RunIds.next(resources.clock()), pipeline.name(), resources.clock().instant());
        run.setOutputs(pipeline.training().outputsFor(pipeline.name(), run.getRunId()));
        resources.runStore().save(run);
        exchange.setProperty(RunStep.RUN_PROPERTY, run);
        try (RunMdc ignored = RunMdc.of(run)) {
            LOG.info("Run created; the trained model will be written to {}",
                    run.getOutputs().get(pipeline.training().modelOutput()));
        }
    }
}

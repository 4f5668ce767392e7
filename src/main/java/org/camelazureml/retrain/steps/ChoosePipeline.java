package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.camelazureml.retrain.config.RetrainConfig;

/**
 * For the generic entry {@code direct:retrain}: which pipeline the caller means (exchange property or header
 * {@value CreateRun#PIPELINE}, else "default"), checked against the configuration, set as the exchange property the
 * route uses to reach that pipeline's own route.
 */
public class ChoosePipeline implements Processor {

    private final PipelineResources resources;

    public ChoosePipeline(PipelineResources resources) {
        this.resources = resources;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getProperty(CreateRun.PIPELINE, String.class);
        if (name == null) {
            name = exchange.getMessage().getHeader(CreateRun.PIPELINE, RetrainConfig.DEFAULT_PIPELINE, String.class);
        }
        exchange.setProperty(CreateRun.PIPELINE, resources.pipeline(name).name());
    }
}

package org.camelazureml.retrain.steps;

import org.apache.camel.Exchange;
import org.camelazureml.retrain.config.EndpointConfig;
import org.camelazureml.retrain.config.GateConfig;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.gate.QualityGate;
import org.camelazureml.retrain.state.ModelHistory.Deployment;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.GateDecision;
import org.camelazureml.retrain.state.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quality gate, when the pipeline has one: compares the new model's evaluation metric with the absolute threshold
 * and with the metric of the model live on the pipeline's first endpoint. A model that fails is not deployed: the
 * run ends REJECTED with the numbers that decided it (the model and its metrics stay archived and recorded).
 */
public class CheckQualityGate extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(CheckQualityGate.class);

    public CheckQualityGate(PipelineResources resources) {
        super(resources);
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) {
        if (run.getStep() != PipelineStep.GATE) {
            return;
        }
        if (pipeline.hasGate()) {
            GateConfig gate = pipeline.gate();
            EndpointConfig first = pipeline.scoring().endpoints().get(0);
            Deployment live = resources.history().live(pipeline.name(), first.name()).orElse(null);
            Double liveValue = live == null || live.metrics() == null ? null : live.metrics().get(gate.metric());
            GateDecision decision = QualityGate.decide(gate, run.getMetrics(), liveValue,
                    live == null ? null : live.trainedByRun());
            run.setGate(decision);
            if (!decision.passed()) {
                save(run);
                throw new RunFailedException("model rejected by the quality gate: " + decision.reason(),
                        RunStatus.REJECTED, null);
            }
            LOG.info("Quality gate passed: {}", decision.reason());
        } else {
            LOG.info("No quality gate configured: the model goes to {}", run.getEndpoints());
        }
        run.enter(PipelineStep.UPDATE, resources.clock().instant());
        // A decision is recorded before any endpoint is updated, so that a run resumed after a crash keeps it even if
        // the gate's settings were edited in between. Without a gate there is nothing to keep: nothing remote
        // happened since the fetch's record, and a resumed run goes through here again.
        if (pipeline.hasGate()) {
            saveProgress(run);
        }
    }
}

package org.camelazureml.retrain.gate;

import java.util.Locale;
import java.util.Map;

import org.camelazureml.retrain.config.GateConfig;
import org.camelazureml.retrain.state.RetrainRun.GateDecision;

/**
 * Decides whether a new model may be deployed: its metric must meet the absolute threshold (when set) and improve on
 * the live model's metric by at least the minimum improvement (when a live metric is known; the first model only
 * has to meet the threshold).
 */
public final class QualityGate {

    private QualityGate() {
    }

    /**
     * @param metrics    the new model's evaluation
     * @param liveValue  the live model's value of the gate metric, or null when none is recorded
     * @param liveRunId  the run that trained the live model, or null
     */
    public static GateDecision decide(GateConfig gate, Map<String, Double> metrics, Double liveValue, String liveRunId) {
        Double value = metrics.get(gate.metric());
        if (value == null) {
            return decision(gate, null, liveValue, liveRunId, false, "the evaluation has no metric '" + gate.metric()
                    + "' (it has " + metrics.keySet() + "); check retrain.gate.metric");
        }
        if (gate.threshold() != null && !atLeast(gate, value, gate.threshold())) {
            return decision(gate, value, liveValue, liveRunId, false, gate.metric() + " " + format(value) + " does not"
                    + " meet the threshold " + format(gate.threshold()) + " (" + direction(gate) + " is better)");
        }
        if (liveValue != null) {
            double improvement = gate.higherIsBetter() ? value - liveValue : liveValue - value;
            if (improvement < gate.minImprovement()) {
                return decision(gate, value, liveValue, liveRunId, false, gate.metric() + " " + format(value)
                        + " improves on the live model's " + format(liveValue) + " by " + format(improvement)
                        + ", less than the required " + format(gate.minImprovement()));
            }
            return decision(gate, value, liveValue, liveRunId, true, gate.metric() + " " + format(value)
                    + " improves on the live model's " + format(liveValue) + " by " + format(improvement));
        }
        return decision(gate, value, null, null, true, gate.metric() + " " + format(value)
                + (gate.threshold() == null ? "" : " meets the threshold " + format(gate.threshold()))
                + "; no live model to compare with");
    }

    private static boolean atLeast(GateConfig gate, double value, double bar) {
        return gate.higherIsBetter() ? value >= bar : value <= bar;
    }

    private static String direction(GateConfig gate) {
        return gate.higherIsBetter() ? "higher" : "lower";
    }

    private static GateDecision decision(GateConfig gate, Double value, Double liveValue, String liveRunId,
            boolean passed, String reason) {
        return new GateDecision(gate.metric(), gate.higherIsBetter(), value, liveValue, liveRunId, gate.threshold(),
                gate.minImprovement(), passed, reason);
    }

    private static String format(double number) {
        return String.format(Locale.ROOT, "%.4f", number);
    }
}

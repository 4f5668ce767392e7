package org.camelazureml.retrain.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.camelazureml.retrain.config.GateConfig;
import org.camelazureml.retrain.state.RetrainRun.GateDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityGateTest {

    private static final GateConfig R2 = new GateConfig("output2", "Coefficient of Determination", true, 0.5, 0.01);
    private static final GateConfig RMSE = new GateConfig("output2", "Root Mean Squared Error", false, 10.0, 0.0);

    @Test
    void theFirstModelOnlyHasToMeetTheThreshold() {
        GateDecision decision = QualityGate.decide(R2, Map.of("Coefficient of Determination", 0.6), null, null);

        assertThat(decision.passed()).isTrue();
        assertThat(decision.reason()).isEqualTo("Coefficient of Determination 0.6000 meets the threshold 0.5000; no live"
                + " model to compare with");
    }

    @Test
    void aModelBelowTheThresholdIsRejected() {
        GateDecision decision = QualityGate.decide(R2, Map.of("Coefficient of Determination", 0.4), 0.3, "r-1");

        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).isEqualTo("Coefficient of Determination 0.4000 does not meet the threshold 0.5000"
                + " (higher is better)");
    }

    @Test
    void aModelMustImproveOnTheLiveOneByTheMinimum() {
        assertThat(QualityGate.decide(R2, Map.of("Coefficient of Determination", 0.805), 0.8, "r-1").passed()).isFalse();
        assertThat(QualityGate.decide(R2, Map.of("Coefficient of Determination", 0.82), 0.8, "r-1").passed()).isTrue();
        GateDecision worse = QualityGate.decide(R2, Map.of("Coefficient of Determination", 0.7), 0.8, "r-1");
        assertThat(worse.reason()).isEqualTo("Coefficient of Determination 0.7000 improves on the live model's 0.8000"
                + " by -0.1000, less than the required 0.0100");
        assertThat(worse.liveRunId()).isEqualTo("r-1");
    }

    @Test
    void lowerIsBetterWorksTheOtherWayRound() {
        assertThat(QualityGate.decide(RMSE, Map.of("Root Mean Squared Error", 4.0), 5.0, "r-1").passed()).isTrue();
        assertThat(QualityGate.decide(RMSE, Map.of("Root Mean Squared Error", 6.0), 5.0, "r-1").passed()).isFalse();
        assertThat(QualityGate.decide(RMSE, Map.of("Root Mean Squared Error", 12.0), null, null).passed()).isFalse();
    }

    @Test
    void aMissingMetricIsARejectionThatSaysWhatThereIs() {
        GateDecision decision = QualityGate.decide(R2, Map.of("AUC", 0.9), null, null);

        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).contains("has no metric 'Coefficient of Determination'").contains("[AUC]");
    }

    @Test
    void readsEvaluateModelsTable(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("evaluation.csv");
        Files.writeString(csv, "\"Mean Absolute Error\",Root Mean Squared Error,\"Label, text\",Coefficient of"
                + " Determination\n1.25,2.5,\"yes, really\",0.93\n");

        assertThat(EvaluationMetrics.read(csv)).containsExactly(Map.entry("Mean Absolute Error", 1.25),
                Map.entry("Root Mean Squared Error", 2.5), Map.entry("Coefficient of Determination", 0.93));
        Files.writeString(csv, "Only,A,Header\n");
        assertThatThrownBy(() -> EvaluationMetrics.read(csv)).hasMessageContaining("has no row of values");
    }
}

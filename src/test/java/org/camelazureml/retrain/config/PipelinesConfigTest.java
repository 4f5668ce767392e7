package org.camelazureml.retrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.camelazureml.retrain.support.MapConfigSource;
import org.junit.jupiter.api.Test;

/** Named pipelines, several models and endpoints, and the quality gate, as configuration. */
class PipelinesConfigTest {

    /** A valid pipeline under {@code prefix} (e.g. "retrain.pipelines.churn."). */
    static MapConfigSource pipeline(MapConfigSource source, String prefix) {
        MapConfigSource valid = MapConfigSource.valid();
        valid.keysStartingWith("retrain.").forEach(key -> valid.get(key)
                .ifPresent(value -> source.with(prefix + key.substring("retrain.".length()), value)));
        return source;
    }

    @Test
    void namedPipelinesTakeTheSameKeysAsTheDefaultOne() {
        MapConfigSource source = pipeline(pipeline(new MapConfigSource(), "retrain.pipelines.churn."),
                "retrain.pipelines.sales.").with("retrain.pipelines.sales.schedule.period", "1h");

        RetrainConfig config = RetrainConfigLoader.load(source);

        assertThat(config.pipelines()).containsOnlyKeys("churn", "sales");
        assertThat(config.pipeline("sales").schedulePeriod()).hasHours(1);
        assertThat(config.pipeline("churn").schedulePeriod()).hasHours(24);
        assertThat(config.invalidPipelines()).isEmpty();
    }

    @Test
    void eachPipelineHasItsOwnHealthMaxAgeAndNamedOnesDoNotInheritTheUnnamedKey() {
        MapConfigSource source = pipeline(pipeline(pipeline(MapConfigSource.valid(), "retrain.pipelines.churn."),
                "retrain.pipelines.sales."), "retrain.pipelines.bad.")
                .with("retrain.health.max-age", "3d")
                .with("retrain.pipelines.sales.health.max-age", "7d")
                .with("retrain.pipelines.bad.health.max-age", "never");

        RetrainConfig config = RetrainConfigLoader.load(source);

        assertThat(config.pipeline("default").healthMaxAge()).hasDays(3);
        assertThat(config.pipeline("sales").healthMaxAge()).hasDays(7);
        assertThat(config.pipeline("churn").healthMaxAge()).isNull();
        assertThat(config.invalidPipelines().get("bad")).singleElement().satisfies(problem -> assertThat(problem)
                .startsWith("retrain.pipelines.bad.health.max-age must be a duration"));
    }

    @Test
    void theUnnamedKeysStayThePipelineDefaultBesideNamedOnes() {
        MapConfigSource source = pipeline(MapConfigSource.valid(), "retrain.pipelines.churn.");

        assertThat(RetrainConfigLoader.load(source).pipelines()).containsOnlyKeys("default", "churn");
    }

    @Test
    void aBadPipelineIsReportedByNameAndTheOthersStillLoad() {
        MapConfigSource source = pipeline(MapConfigSource.valid(), "retrain.pipelines.churn.")
                .with("retrain.pipelines.broken.training.endpoint", "not a url");

        RetrainConfig config = RetrainConfigLoader.load(source);

        assertThat(config.pipelines()).containsOnlyKeys("default", "churn");
        assertThat(config.invalidPipelines()).containsOnlyKeys("broken");
        assertThat(config.invalidPipelines().get("broken"))
                .contains("retrain.pipelines.broken.training.api-key is missing")
                .anySatisfy(problem -> assertThat(problem).startsWith("retrain.pipelines.broken.training.endpoint"));
        assertThat(catchThrowableOfType(InvalidConfigurationException.class, () -> config.pipeline("broken"))
                .problems()).isEqualTo(config.invalidPipelines().get("broken"));
    }

    @Test
    void withNoValidPipelineEveryProblemIsReportedTogether() {
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(new MapConfigSource().with("retrain.pipelines.a.poll.interval", "1s")
                        .with("retrain.pipelines.b.poll.interval", "1s")));

        assertThat(error.problems()).contains("retrain.pipelines.a.training.endpoint is missing",
                "retrain.pipelines.b.training.endpoint is missing");
    }

    @Test
    void severalModelsGoToSeveralNamedEndpoints() {
        MapConfigSource source = MapConfigSource.valid()
                .with("retrain.training.outputs.output1", "models/{runId}/a.ilearner")
                .with("retrain.training.outputs.output3", "models/{runId}/b.ilearner")
                .with("retrain.training.model-outputs", "output1, output3")
                .with("retrain.scoring.endpoints.ep2.update-resource-endpoint",
                        "https://management.azureml.net/workspaces/ws1/webservices/score1/endpoints/ep2")
                .with("retrain.scoring.endpoints.ep2.api-key", "k2")
                .with("retrain.scoring.endpoints.ep2.trained-model-name", "Model B [trained model]")
                .with("retrain.scoring.endpoints.ep2.model-output", "output3");

        PipelineConfig pipeline = RetrainConfigLoader.load(source).pipeline("default");

        assertThat(pipeline.training().modelOutputs()).containsExactly("output1", "output3");
        assertThat(pipeline.scoring().endpoints()).extracting(EndpointConfig::name, EndpointConfig::modelOutput,
                EndpointConfig::trainedModelName).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("default", "output1", "Census Model [trained model]"),
                        org.assertj.core.groups.Tuple.tuple("ep2", "output3", "Model B [trained model]"));
    }

    @Test
    void anEndpointMustTakeATrainedModelOutput() {
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(MapConfigSource.valid()
                        .with("retrain.training.outputs.output1", "models/{runId}/model.ilearner")
                        .with("retrain.training.outputs.output2", "metrics/{runId}/evaluation.csv")
                        .with("retrain.scoring.model-output", "output2")));

        assertThat(error.problems()).contains("retrain.scoring.model-output 'output2' is not a trained model output"
                + " [output1]");
    }

    @Test
    void aGateNeedsItsMetricOutputAndDirection() {
        MapConfigSource source = MapConfigSource.valid()
                .with("retrain.training.outputs.output1", "models/{runId}/model.ilearner")
                .with("retrain.training.outputs.output2", "metrics/{runId}/evaluation.csv")
                .with("retrain.gate.metric", "Coefficient of Determination")
                .with("retrain.gate.metrics-output", "output2")
                .with("retrain.gate.better", "higher")
                .with("retrain.gate.threshold", "0.5")
                .with("retrain.gate.min-improvement", "0.01");

        GateConfig gate = RetrainConfigLoader.load(source).pipeline("default").gate();

        assertThat(gate).isEqualTo(new GateConfig("output2", "Coefficient of Determination", true, 0.5, 0.01));
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(source.with("retrain.gate.better", "more")
                        .with("retrain.gate.metrics-output", "output1").with("retrain.gate.threshold", "high")));
        assertThat(error.problems()).contains("retrain.gate.better must be 'higher' or 'lower', not 'more'",
                "retrain.gate.threshold must be a number, not 'high'")
                .anySatisfy(problem -> assertThat(problem).startsWith("retrain.gate.metrics-output must name an"
                        + " evaluation output"));
    }
}

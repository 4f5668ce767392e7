package org.camelazureml.retrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.camelazureml.retrain.support.MapConfigSource;
import org.junit.jupiter.api.Test;

class RetrainConfigLoaderTest {

    @Test
    void readsACompleteConfigurationWithDefaults() {
        PipelineConfig pipeline = RetrainConfigLoader.load(MapConfigSource.valid()).pipeline("default");

        assertThat(pipeline.training().service().url().toString())
                .isEqualTo("https://ussouthcentral.services.azureml.net/workspaces/ws1/services/train1/jobs");
        assertThat(pipeline.training().service().query()).isEqualTo("api-version=2.0");
        assertThat(pipeline.training().inputs()).containsExactly(Map.entry("input1", "trainingdata/train.csv"));
        assertThat(pipeline.training().outputs()).containsExactly(Map.entry("output1", "models/{runId}/model.ilearner"));
        assertThat(pipeline.training().modelOutputs()).containsExactly("output1");
        assertThat(pipeline.training().globalParameters()).containsExactly(Map.entry("Learning rate", "0.1"));
        assertThat(pipeline.storage().accountName()).isEqualTo("acct");
        assertThat(pipeline.storage().baseLocation()).isEqualTo("https://acct.blob.core.windows.net/");
        assertThat(pipeline.storage().hasAccountKey()).isTrue();
        assertThat(pipeline.scoring().endpoint("default").target().query()).isNull();
        assertThat(pipeline.scoring().endpoint("default").trainedModelName()).isEqualTo("Census Model [trained model]");
        assertThat(pipeline.schedulePeriod()).isEqualTo(Duration.ofHours(24));
        assertThat(pipeline.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pipeline.jobTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(pipeline.archiveDir()).isEqualTo(Path.of("data/models"));
        assertThat(pipeline.healthMaxAge()).as("no staleness check unless asked").isNull();
    }

    @Test
    void readsTheHealthMaxAgeAsADurationAndRejectsAMalformedOne() {
        assertThat(RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.health.max-age", "2d12h"))
                .pipeline("default").healthMaxAge()).isEqualTo(Duration.ofHours(60));

        for (String wrong : new String[] {"soon", "0"}) {
            InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                    () -> RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.health.max-age", wrong)));
            assertThat(error.problems()).singleElement().satisfies(problem -> assertThat(problem)
                    .startsWith("retrain.health.max-age must be"));
        }
    }

    @Test
    void readsTheWorkerPoolSizeAndRejectsNone() {
        assertThat(RetrainConfigLoader.load(MapConfigSource.valid()).node().workerThreads()).isEqualTo(16);
        assertThat(RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.node.worker-threads", "4"))
                .node().workerThreads()).isEqualTo(4);

        for (String wrong : new String[] {"0", "many"}) {
            InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                    () -> RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.node.worker-threads", wrong)));
            assertThat(error.problems()).singleElement().satisfies(problem -> assertThat(problem)
                    .startsWith("retrain.node.worker-threads must be"));
        }
    }

    @Test
    void acceptsTheJobsUrlWithoutApiVersionAndWithATrailingSlash() {
        PipelineConfig pipeline = RetrainConfigLoader.load(MapConfigSource.valid()
                .with("retrain.training.endpoint", "https://h.example/workspaces/w/services/s/jobs/")).pipeline("default");

        assertThat(pipeline.training().service().url().toString()).isEqualTo("https://h.example/workspaces/w/services/s/jobs");
        assertThat(pipeline.training().service().query()).isEqualTo("api-version=2.0");
    }

    @Test
    void fillsRunIdAndPipelineIntoOutputPaths() {
        TrainingConfig training = RetrainConfigLoader.load(MapConfigSource.valid()
                .with("retrain.training.outputs.output1", "models/{pipeline}/{runId}/m.ilearner")
                .with("retrain.training.outputs.output2", "metrics/{runId}/evaluation.csv")).pipeline("default").training();

        assertThat(training.outputsFor("default", "r1"))
                .containsExactly(Map.entry("output1", "models/default/r1/m.ilearner"),
                        Map.entry("output2", "metrics/r1/evaluation.csv"));
    }

    @Test
    void reportsEveryMissingKeyInOneMessage() {
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(new MapConfigSource()));

        assertThat(error.problems()).containsExactlyInAnyOrder(
                "retrain.training.endpoint is missing",
                "retrain.training.api-key is missing",
                "retrain.training.inputs.<port> is missing: give at least one input as container/path, e.g."
                        + " retrain.training.inputs.input1=trainingdata/train.csv",
                "retrain.storage.connection-string is missing",
                "retrain.scoring.update-resource-endpoint is missing",
                "retrain.scoring.api-key is missing",
                "retrain.scoring.trained-model-name is missing");
        assertThat(error.getMessage()).startsWith("Invalid configuration (7 problems); nothing was submitted:");
    }

    @Test
    void reportsMalformedValuesTogether() {
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(MapConfigSource.valid()
                        .with("retrain.training.endpoint", "https://h.example/workspaces/w/services/s/execute?api-version=2.0")
                        .with("retrain.training.inputs.input1", "NoContainer")
                        .with("retrain.training.outputs.output1", "models/model.ilearner")
                        .with("retrain.training.outputs.output2", "models/{runId}/scores.txt")
                        .with("retrain.poll.interval", "soon")
                        .with("retrain.job.timeout", "0")
                        .with("retrain.scoring.update-resource-endpoint",
                                "https://management.azureml.net/workspaces/w/webservices/s/endpoints/default")));

        assertThat(error.problems()).hasSize(7).anySatisfy(p -> assertThat(p).startsWith("retrain.training.endpoint must be"
                + " the Batch Execution Service jobs URL"))
                .anySatisfy(p -> assertThat(p).isEqualTo("retrain.training.inputs.input1 must be container/path, not 'NoContainer'"))
                .anySatisfy(p -> assertThat(p).startsWith("retrain.training.outputs.output1 must contain {runId}"))
                .anySatisfy(p -> assertThat(p).startsWith("retrain.training.outputs.output2 must end in .ilearner"))
                .anySatisfy(p -> assertThat(p).startsWith("retrain.poll.interval must be a duration such as 30s"))
                .anySatisfy(p -> assertThat(p).isEqualTo("retrain.job.timeout must be longer than zero"))
                .anySatisfy(p -> assertThat(p).startsWith("retrain.scoring.update-resource-endpoint points at the default"
                        + " endpoint"));
    }

    @Test
    void modelOutputMustBeAnIlearnerOutput() {
        assertThatThrownBy(() -> RetrainConfigLoader.load(MapConfigSource.valid()
                .with("retrain.training.outputs.output1", "metrics/{runId}/evaluation.csv")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retrain.training.outputs.output1 is a trained model output, so its path must"
                        + " end in .ilearner");
        assertThatThrownBy(() -> RetrainConfigLoader.load(MapConfigSource.valid()
                .with("retrain.training.model-output", "model")))
                .hasMessageContaining("retrain.training.model-output names port 'model', which is not among");
    }

    @Test
    void rejectsAnyQueryButTheApiVersion() {
        assertThatThrownBy(() -> RetrainConfigLoader.load(MapConfigSource.valid().with("retrain.training.endpoint",
                "https://h.example/workspaces/w/services/s/jobs?api-version=1.0&details=true")))
                .hasMessageContaining("retrain.training.endpoint may only carry ?api-version=2.0 as its query, not"
                        + " 'api-version=...'")
                .hasMessageContaining("not 'details=...'");
    }

    @Test
    void neverPrintsSecretValues() {
        InvalidConfigurationException error = catchThrowableOfType(InvalidConfigurationException.class,
                () -> RetrainConfigLoader.load(MapConfigSource.valid()
                        .with("retrain.storage.connection-string", "AccountName=acct;Password=hunter2-secret")
                        .without("retrain.scoring.trained-model-name")));

        assertThat(error.getMessage())
                .contains("retrain.storage.connection-string has neither AccountKey nor SharedAccessSignature")
                .doesNotContain("hunter2-secret");
        PipelineConfig pipeline = RetrainConfigLoader.load(MapConfigSource.valid()).pipeline("default");
        assertThat(pipeline.toString()).doesNotContain("training-key-123", "scoring-key-456", "c2VjcmV0LWtleQ==");
    }
}

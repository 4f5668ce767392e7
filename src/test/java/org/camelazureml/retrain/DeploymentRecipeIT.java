package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment recipe's example settings (deploy/retrain.env.example as environment variables, with
 * deploy/application.properties.example as the --config file) pass the packaged jar's configuration validation.
 * {@code pipelines} reads the configuration and the run store and calls nothing remote.
 */
class DeploymentRecipeIT {

    @TempDir
    Path dir;

    @Test
    void theExampleSettingsMakeAValidPipeline() throws Exception {
        Map<String, String> environment = new HashMap<>(DeploymentRecipeTest.variables(DeploymentRecipeTest.ENV_EXAMPLE,
                false));
        // the example's state lives under /var/lib; here, a temporary directory
        environment.replaceAll((name, value) -> value.replace("/var/lib/camel-azureml-retrain", dir.toString()));
        Path config = Files.copy(Path.of("deploy/application.properties.example"), dir.resolve("application.properties"));

        RetrainJarIT.Result result = RetrainJarIT.runJar(dir, environment, true, "pipelines", "--json", "--config",
                config.toString());

        assertThat(result.exit()).as(result.errors()).isZero();
        JsonNode pipelines = new ObjectMapper().readTree(result.output());
        assertThat(pipelines).hasSize(1);
        assertThat(pipelines.get(0).get("pipeline").asText()).isEqualTo("default");
        assertThat(pipelines.get(0).get("valid").asBoolean()).as(result.output()).isTrue();
        assertThat(pipelines.get(0).get("endpoints").toString()).isEqualTo("[\"default\"]");
        assertThat(result.errors()).doesNotContain("CHANGE_ME");
        for (String line : result.errors().lines().toList()) { // RETRAIN_LOG_FORMAT=json in the example
            assertThat(new ObjectMapper().readTree(line).has("message")).as(line).isTrue();
        }
    }

    @Test
    void withoutTheEnvironmentTheSameFileIsInvalid() throws Exception {
        Path config = Files.copy(Path.of("deploy/application.properties.example"), dir.resolve("application.properties"));

        RetrainJarIT.Result result = RetrainJarIT.runJar(dir, Map.of("RETRAIN_DATA_DIR", dir.toString()), true,
                "pipelines", "--json", "--config", config.toString());

        assertThat(result.exit()).as(result.output()).isEqualTo(RetrainRuntime.EXIT_CONFIG);
        assertThat(result.errors()).contains("retrain.training.endpoint is missing", "retrain.scoring.api-key is missing");
    }
}

package org.camelazureml.retrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camelazureml.retrain.RetrainApplication;
import org.camelazureml.retrain.demo.ScoringProbe;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunKind;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations commands as a person or a script uses them, against the emulator and Azurite: trigger, runs, run,
 * live, history, rollback, pipelines, check, in text and JSON.
 */
class OperationsCliTest {

    private static final Map<String, Double> SAMPLE = new TreeMap<>(Map.of("x1", 4.0, "x2", 1.5, "x3", 8.0));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PipelineHarness harness;
    private Path config;
    private String input;

    @BeforeEach
    void start() throws Exception {
        input = "trainingdata/cli-" + UUID.randomUUID() + ".csv";
        harness = new PipelineHarness(dir.resolve("data"), b -> { }).with("retrain.training.inputs.input1", input);
        config = harness.writeProperties(dir.resolve("retrain.properties"));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    record Cli(int exit, String out) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = RetrainApplication.run(args);
            return new Cli(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private double prediction() {
        return ScoringProbe.predict(harness.emulator().scoringUrl(EmulatorLauncher.UPDATABLE_ENDPOINT),
                harness.emulator().endpointKey(EmulatorLauncher.UPDATABLE_ENDPOINT), SAMPLE);
    }

    private RetrainRun trigger(long seed) {
        TestAzureMl.upload(input, EmulatorLauncher.sampleCsv(200, 2, seed));
        assertThat(cli("trigger", "--config", config.toString()).exit()).isZero();
        return harness.lastRun();
    }

    @Test
    void runsAreListedShownAndRolledBackWithTheHistoryRecordingEverything() throws Exception {
        RetrainRun first = trigger(11);
        double firstPrediction = prediction();
        RetrainRun second = trigger(12);
        double secondPrediction = prediction();
        assertThat(secondPrediction).isNotEqualTo(firstPrediction);

        Cli runs = cli("runs", "--config", config.toString());
        assertThat(runs.exit()).isZero();
        assertThat(runs.out()).contains("PIPELINE", "SUBMIT", "POLL", "UPDATE", first.getRunId(), second.getRunId(),
                "SUCCEEDED").containsPattern("ok \\d");
        JsonNode runsJson = cli("runs", "--config", config.toString(), "--json").json();
        assertThat(runsJson).hasSize(2);
        assertThat(runsJson.get(0).get("runId").asText()).isEqualTo(second.getRunId());
        assertThat(runsJson.get(0).get("stepStartedAt").has("POLL")).isTrue();

        Cli show = cli("run", first.getRunId(), "--config", config.toString());
        assertThat(show.out()).contains("status     SUCCEEDED", "sha256 " + first.getModels().get(0).sha256(),
                "endpoint   default: UPDATED");

        Cli rollback = cli("rollback", "--to", "previous", "--config", config.toString(), "--json");
        assertThat(rollback.exit()).isZero();
        RetrainRun rolledBack = harness.lastRun();
        assertThat(rolledBack.getKind()).isEqualTo(RunKind.ROLLBACK);
        assertThat(rolledBack.getRollbackOf()).isEqualTo(first.getRunId());
        assertThat(rolledBack.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rollback.json().get("runId").asText()).isEqualTo(rolledBack.getRunId());
        assertThat(prediction()).as("the first model's predictions are back").isEqualTo(firstPrediction);
        assertThat(harness.emulator().submittedJobCount()).as("a rollback trains nothing").isEqualTo(2);

        JsonNode live = cli("live", "--config", config.toString(), "--json").json();
        assertThat(live).hasSize(1);
        assertThat(live.get(0).get("sha256").asText()).isEqualTo(first.getModels().get(0).sha256());
        assertThat(live.get(0).get("byRun").asText()).isEqualTo(rolledBack.getRunId());

        JsonNode history = cli("history", "--config", config.toString(), "--json").json();
        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("byRun").asText()).isEqualTo(rolledBack.getRunId());
        assertThat(history.get(0).get("replacedAt").isNull()).isTrue();
        assertThat(history.get(1).get("byRun").asText()).isEqualTo(second.getRunId());
        assertThat(history.get(1).get("replacedAt").asText()).isEqualTo(history.get(0).get("liveFrom").asText());
        assertThat(history.get(2).get("byRun").asText()).isEqualTo(first.getRunId());
        assertThat(history.get(2).get("replacedAt").asText()).isEqualTo(history.get(1).get("liveFrom").asText());
        assertThat(cli("history", "--config", config.toString()).out()).contains("(rollback)", "live");

        Cli back = cli("rollback", "--to", second.getRunId(), "--endpoint", "default", "--config", config.toString());
        assertThat(back.exit()).isZero();
        assertThat(prediction()).isEqualTo(secondPrediction);
    }

    @Test
    void pipelinesAndCheckSeeTheConfiguration() {
        TestAzureMl.upload(input, EmulatorLauncher.sampleCsv(200, 2, 13));
        Cli pipelines = cli("pipelines", "--config", config.toString());
        assertThat(pipelines.out()).contains("PIPELINE", "default", "output1");

        Cli check = cli("check", "--config", config.toString());
        assertThat(check.exit()).as(check.out()).isZero();
        assertThat(check.out()).contains("OK", "reachable, API key accepted", "updatable resource 'Retrained Model"
                + " [trained model]' exists", "input input1 " + input).doesNotContain("FAIL");
        assertThat(harness.emulator().submittedJobCount()).as("check changes nothing").isZero();
    }

    @Test
    void checkFindsAWrongKeyAMissingInputAndAWrongModelName() throws Exception {
        harness.with("retrain.training.api-key", "wrong-training-key")
                .with("retrain.scoring.trained-model-name", "Nope [trained model]");
        harness.writeProperties(config);

        Cli check = cli("check", "--config", config.toString(), "--json");

        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.json().findValuesAsText("detail")).contains("API key refused: check retrain.training.api-key")
                .anySatisfy(detail -> assertThat(detail).startsWith("not found in storage account"))
                .anySatisfy(detail -> assertThat(detail).startsWith("has no updatable resource 'Nope [trained model]';"
                        + " it has [Retrained Model [trained model]]"));
        assertThat(check.out()).doesNotContain("wrong-training-key");
    }

    @Test
    void aRollbackWithNothingToGoBackToFailsClearly() {
        Cli rollback = cli("rollback", "--to", "previous", "--config", config.toString());

        assertThat(rollback.exit()).isEqualTo(1);
        assertThat(harness.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
    }
}

package org.camelazureml.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camelazureml.retrain.azurite.AzuriteServer;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.ServedModel;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: a separate JVM, {@code --once}, against the emulator and Azurite. */
class RetrainJarIT {

    @TempDir
    Path dir;

    private EmulatorLauncher.Running azureMl;

    @AfterEach
    void stop() {
        if (azureMl != null) {
            azureMl.close();
        }
    }

    /** {@code output}: stdout and stderr together, unless {@code errors} holds stderr apart. */
    record Result(int exit, String output, String errors) {
    }

    static Result runJar(Path workDir, String... args) throws IOException, InterruptedException {
        return runJar(workDir, Map.of(), args);
    }

    static Result runJar(Path workDir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return runJar(workDir, environment, false, args);
    }

    static Result runJar(Path workDir, Map<String, String> environment, boolean stderrApart, String... args)
            throws IOException, InterruptedException {
        return runJar(workDir, List.of(), environment, stderrApart, args);
    }

    /** {@code jvmOptions}: options of the java command, before {@code -jar}. */
    static Result runJar(Path workDir, List<String> jvmOptions, Map<String, String> environment, boolean stderrApart,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of(System.getProperty("retrain.jar", "target/camel-azureml-retrain.jar"))
                .toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("jar-output.txt");
        Path errors = workDir.resolve("jar-errors.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(log.toFile());
        if (stderrApart) {
            builder.redirectError(errors.toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not finish in 90 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
                stderrApart ? Files.readString(errors, StandardCharsets.UTF_8) : null);
    }

    @Test
    void onceRetrainsAndDeploysThenExitsZeroWithoutPrintingSecrets() throws Exception {
        azureMl = TestAzureMl.start();
        Map<String, String> properties = TestAzureMl.properties(azureMl, dir.resolve("data"));
        StringBuilder file = new StringBuilder();
        properties.forEach((key, value) -> file.append(key.replace(" ", "\\ ")).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("retrain.properties"), file);

        Result result = runJar(dir, "--once", "--config", "retrain.properties");

        assertThat(result.exit()).as(result.output()).isZero();
        RetrainRun run = new FileRunStore(dir.resolve("data")).list("default", 1).get(0);
        assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.output()).contains("Run " + run.getRunId() + " of pipeline default SUCCEEDED: [output1 sha256 "
                + run.getModels().get(0).sha256() + "] live on [default]");
        ServedModel served = azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow();
        assertThat(served.sha256()).isEqualTo(TestAzureMl.blobSha256(run.getModels().get(0).relativeLocation()))
                .isEqualTo(TestAzureMl.sha256(Path.of(run.getModels().get(0).archivePath())));
        assertThat(azureMl.emulator().submittedJobCount()).isEqualTo(1);
        assertThat(result.output()).doesNotContain(properties.get("retrain.training.api-key"),
                properties.get("retrain.scoring.api-key"), AzuriteServer.ACCOUNT_KEY, "sig=");
    }

    /** Starts the emulator and writes its settings to ./application.properties; the settings. */
    private Map<String, String> startAzureMlWithApplicationProperties() throws IOException {
        azureMl = TestAzureMl.start();
        Map<String, String> properties = TestAzureMl.properties(azureMl, dir.resolve("data"));
        StringBuilder file = new StringBuilder();
        properties.forEach((key, value) -> file.append(key).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("application.properties"), file);
        return properties;
    }

    private static void assertNoSecretIn(String output, Map<String, String> properties) {
        assertThat(output).doesNotContain(properties.get("retrain.training.api-key"),
                properties.get("retrain.scoring.api-key"), AzuriteServer.ACCOUNT_KEY,
                AzuriteServer.ACCOUNT_KEY.substring(0, 20));
        assertThat(java.util.regex.Pattern.compile("sig=(?!\\*{6})").matcher(output).find())
                .as("an unmasked SAS signature").isFalse();
    }

    @Test
    void secretsNeverAppearInTheOutputEvenWithEverythingLoggedAtTrace() throws Exception {
        Map<String, String> properties = startAzureMlWithApplicationProperties();

        Result result = runJar(dir, Map.of("RETRAIN_LOG_LEVEL", "TRACE", "RETRAIN_LIBRARY_LOG_LEVEL", "TRACE"),
                "--once");

        assertThat(result.exit()).as("exit code").isZero();
        assertThat(result.output().length()).as("TRACE output was produced").isGreaterThan(100_000);
        assertNoSecretIn(result.output(), properties);
    }

    @Test
    void jsonLogsAtTraceAreOneMaskedObjectPerLineWithTheRunOnEveryStepLine() throws Exception {
        Map<String, String> properties = startAzureMlWithApplicationProperties();

        Result result = runJar(dir, Map.of("RETRAIN_LOG_FORMAT", "json", "RETRAIN_LOG_LEVEL", "TRACE",
                "RETRAIN_LIBRARY_LOG_LEVEL", "TRACE"), true, "--once");

        assertThat(result.exit()).as(result.errors()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = result.errors().lines().toList();
        assertThat(lines.size()).as("TRACE lines were written").isGreaterThan(500);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = mapper.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.get("timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
            assertThat(event.has("level") && event.has("logger") && event.has("thread") && event.has("message"))
                    .as(line).isTrue();
            events.add(event);
        }
        RetrainRun run = new FileRunStore(dir.resolve("data")).list("default", 1).get(0);
        List<JsonNode> stepLines = events.stream().filter(event -> event.get("level").asText().equals("INFO")
                && event.get("logger").asText().startsWith("org.camelazureml.retrain.steps.")).toList();
        assertThat(stepLines).extracting(event -> event.get("logger").asText().replaceAll(".*\\.", ""))
                .containsSubsequence("CreateRun", "SubmitTrainingJob", "StartTrainingJob", "PollTrainingJob",
                        "FetchTrainedModel", "CheckQualityGate", "UpdateScoringResource", "CompleteRun");
        for (JsonNode line : stepLines) {
            assertThat(line.path("pipeline").asText()).as(line.toString()).isEqualTo("default");
            assertThat(line.path("runId").asText()).as(line.toString()).isEqualTo(run.getRunId());
            if (!line.get("logger").asText().endsWith("CreateRun")) {
                assertThat(line.path("jobId").asText()).as(line.toString()).isEqualTo(run.getJobId());
            }
        }
        assertNoSecretIn(result.errors() + result.output(), properties);
    }

    @Test
    void environmentVariablesOverrideTheFile() throws Exception {
        azureMl = TestAzureMl.start();
        Map<String, String> properties = TestAzureMl.properties(azureMl, dir.resolve("data"));
        StringBuilder file = new StringBuilder();
        properties.forEach((key, value) -> file.append(key).append('=')
                .append(key.equals("retrain.training.api-key") ? "a-wrong-key" : value).append('\n'));
        file.append("retrain.scoring.trained-model-name=A Wrong Name\n");
        Files.writeString(dir.resolve("application.properties"), file);

        Result result = runJar(dir, Map.of("RETRAIN_TRAINING_API_KEY", properties.get("retrain.training.api-key"),
                "RETRAIN_SCORING_TRAINED_MODEL_NAME", properties.get("retrain.scoring.trained-model-name")), "--once");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(azureMl.emulator().servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isPresent();
    }

    @Test
    void emulatorModePrintsThePropertiesToUseAndStopsOnSigterm() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("retrain.jar", "target/camel-azureml-retrain.jar"), "--emulator", "--no-azurite",
                "--job-duration", "2s");
        Path log = dir.resolve("emulator-output.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> Files.readString(log).contains("retrain.scoring.trained-model-name="));
            String printed = Files.readString(log);
            assertThat(printed).contains("retrain.training.endpoint=http://127.0.0.1:", "retrain.training.api-key=",
                    "retrain.scoring.update-resource-endpoint=http://127.0.0.1:");
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    }

    @Test
    void missingConfigurationExitsTwoAndNamesEveryKey() throws Exception {
        Files.writeString(dir.resolve("application.properties"), "retrain.training.api-key=k\n");

        Result result = runJar(dir, "--once");

        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("Invalid configuration (6 problems); nothing was submitted:",
                "retrain.training.endpoint is missing", "retrain.scoring.trained-model-name is missing");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Result result = runJar(dir, "--onse");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("Unknown option: '--onse'");
    }

    @Test
    void cdsTrainingWritesAClassArchiveThatTheNextStartMaps() throws Exception {
        // README: Faster start-up, as written there; the user's ./application.properties must not be read
        Files.writeString(dir.resolve("application.properties"), "retrain.training.endpoint=https://example.invalid\n");
        Path archive = dir.resolve("camel-azureml-retrain.jsa");

        Result training = runJar(dir, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error"), Map.of(),
                false, "--cds-training");

        assertThat(training.exit()).as(training.output()).isZero();
        assertThat(training.output()).contains("Submitted training job", "Start-up training run done")
                .doesNotContain("example.invalid");
        assertThat(archive).exists();
        assertThat(dir.resolve("data")).as("nothing kept in the working directory").doesNotExist();
        // -Xshare:on: the JVM refuses to start unless it maps the archive
        Result start = runJar(dir, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), Map.of(), false,
                "--version");
        assertThat(start.exit()).as(start.output()).isZero();
    }
}

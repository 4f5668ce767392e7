package org.camelazureml.retrain.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.ServedModel;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RunStatus;

/**
 * {@code --demo}: one full retraining cycle on this machine, no Azure account. Starts Azurite (the Azure Storage
 * emulator) with sample training data and the Azure ML classic emulator, runs the real pipeline once through the
 * packaged routes, and shows that the scoring endpoint now serves the archived model (same SHA-256) and predicts
 * differently. Everything it starts is stopped by PID at the end.
 */
public class Demo {

    /** The input row whose prediction is shown before and after the update. */
    private static final Map<String, Double> SAMPLE = new java.util.TreeMap<>(Map.of("x1", 4.0, "x2", 1.5, "x3", 8.0));

    private final PrintStream out;
    private final Path dataDir;

    public Demo(PrintStream out, Path dataDir) {
        this.out = out;
        this.dataDir = dataDir;
    }

    public int run() throws Exception {
        out.println("=== camel-azureml-retrain demo: one retraining cycle against local emulators ===");
        EmulatorLauncher.Options options = EmulatorLauncher.Options.builder()
                .jobDuration(Duration.ofSeconds(3)).queueTime(Duration.ofSeconds(1)).startAzurite(true).build();
        try (EmulatorLauncher.Running azureMl = EmulatorLauncher.start(options)) {
            AzureMlEmulator emulator = azureMl.emulator();
            String scoringUrl = emulator.scoringUrl(EmulatorLauncher.UPDATABLE_ENDPOINT);
            String scoringKey = emulator.endpointKey(EmulatorLauncher.UPDATABLE_ENDPOINT);
            azureMl.azurite().ifPresent(azurite -> out.println("[demo] Azurite blob service at "
                    + azurite.blobEndpoint() + " (pid " + azurite.pid() + "), training data in "
                    + EmulatorLauncher.SAMPLE_CONTAINER + "/" + EmulatorLauncher.SAMPLE_BLOB));
            out.println("[demo] Azure ML emulator at " + emulator.baseUrl() + ": training web service '"
                    + EmulatorLauncher.TRAINING_SERVICE + "', scoring endpoint '" + EmulatorLauncher.UPDATABLE_ENDPOINT
                    + "'");
            double before = ScoringProbe.predict(scoringUrl, scoringKey, SAMPLE);
            out.printf("[demo] before: the scoring endpoint predicts %.3f for %s (the original model predicts 0 for every input)%n", before, SAMPLE);
            out.println("[demo] running the pipeline once (routes/retrain.camel.yaml): submit -> start -> poll ->"
                    + " fetch -> update");

            RetrainRuntime runtime = new RetrainRuntime(null, null)
                    .withProperty("retrain.poll.interval", "1s")
                    .withProperty("retrain.data.dir", dataDir.toString())
                    .withProperty("retrain.archive.dir", dataDir.resolve("models").toString());
            azureMl.properties().forEach(runtime::withProperty);
            int exit = runtime.runOnce("default");

            RetrainRun run = runtime.lastRun();
            Optional<ServedModel> served = emulator.servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT);
            if (exit != RetrainRuntime.EXIT_OK || run == null || run.getStatus() != RunStatus.SUCCEEDED
                    || served.isEmpty()) {
                out.println("[demo] FAILED: the run ended " + (run == null ? "without a record" : run.getStatus()
                        + (run.getError() == null ? "" : ": " + run.getError())));
                return RetrainRuntime.EXIT_RUN_FAILED;
            }
            double after = ScoringProbe.predict(scoringUrl, scoringKey, SAMPLE);
            RetrainRun.ModelRecord model = run.getModels().get(0);
            boolean same = served.get().sha256().equals(model.sha256());
            out.println("[demo] run " + run.getRunId() + " SUCCEEDED: training job " + run.getJobId() + ", "
                    + run.getPollCount() + " status calls");
            out.println("[demo] model archived at " + model.archivePath() + " (" + model.sizeBytes()
                    + " bytes, sha256 " + model.sha256() + ")");
            out.println("[demo] the scoring endpoint serves sha256 " + served.get().sha256()
                    + (same ? " = the archived model" : " != the archived model!"));
            out.printf("[demo] after: the scoring endpoint predicts %.3f for the same input (retrained model)%n", after);
            out.println("[demo] run record: " + dataDir.resolve("runs/default/" + run.getRunId() + ".json"));
            return same ? RetrainRuntime.EXIT_OK : RetrainRuntime.EXIT_RUN_FAILED;
        } finally {
            out.println("[demo] emulator and Azurite stopped");
        }
    }
}

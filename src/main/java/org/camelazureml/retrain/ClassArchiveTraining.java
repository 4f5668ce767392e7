package org.camelazureml.retrain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.Operation;

/**
 * {@code --cds-training}: the training run of a class data sharing archive (AppCDS). Run under
 * {@code java -XX:ArchiveClassesAtExit=FILE}, the JVM writes every class this process loaded into FILE at exit;
 * started with {@code -XX:SharedArchiveFile=FILE}, later processes map those classes instead of reading, parsing
 * and verifying them from the jar, which is most of a cold start's work (README: Faster start-up).
 *
 * <p>The workload is a {@code --once} run of the pipeline against the built-in emulator, started here on a free
 * loopback port: no Azure, no Azurite, no network, and nothing kept (a temporary directory holds its run record).
 * The user's settings are not read: they could point at real services. The run goes through start-up, the run
 * record, the submit and the status calls, then ends FAILED, as the emulator is told to end its job: there is no
 * storage to read training data from or fetch a model from.
 */
final class ClassArchiveTraining {

    /** Azurite's well-known development account, here served by nobody: the emulator answers 404 for its blobs. */
    private static final String NO_STORAGE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=%s/devstoreaccount1;";

    private ClassArchiveTraining() {
    }

    /** Makes the run; 0 when it reached the emulator with a submit (the archive then covers start-up), else 1. */
    static int run(String routes, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("retrain-cds-training-");
        EmulatorLauncher.Options options = EmulatorLauncher.Options.builder().jobDuration(Duration.ofMillis(200))
                .queueTime(Duration.ZERO).startAzurite(false)
                .faultSpec("job:failed=start-up training run: there is no storage to read from").build();
        try (EmulatorLauncher.Running azureMl = EmulatorLauncher.start(options)) {
            // an empty file of its own, so that ./application.properties is not read either
            Path settings = Files.writeString(dir.resolve("training.properties"), "");
            RetrainRuntime runtime = new RetrainRuntime(settings, routes);
            azureMl.properties().forEach(runtime::withProperty);
            String storage = NO_STORAGE.formatted(azureMl.emulator().baseUrl());
            runtime.withProperty("retrain.storage.connection-string", storage)
                    .withProperty("retrain.store.type", "file")
                    .withProperty("retrain.data.dir", dir.toString())
                    .withProperty("retrain.archive.dir", dir.resolve("models").toString())
                    .withProperty("retrain.poll.interval", "100ms")
                    .withProperty("retrain.retry.initial-delay", "10ms")
                    .withProperty("retrain.retry.max-attempts", "1");
            runtime.runOnce(RetrainConfig.DEFAULT_PIPELINE);
            boolean submitted = azureMl.emulator().requests().stream()
                    .anyMatch(request -> request.operation() == Operation.SUBMIT);
            out.println(submitted
                    ? "Start-up training run done (its job FAILED on purpose: there is no storage)."
                    + " Run with -XX:ArchiveClassesAtExit=FILE, the JVM writes the class data sharing archive now."
                    : "The start-up training run did not reach the emulator: see the log above.");
            return submitted ? RetrainRuntime.EXIT_OK : RetrainRuntime.EXIT_RUN_FAILED;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

package org.camelazureml.retrain.support;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.camelazureml.retrain.azurite.AzuriteOptions;
import org.camelazureml.retrain.azurite.AzuriteServer;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.config.RetrainConfigLoader;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;

/**
 * The real things the tests run against: one Azurite per test JVM (started on first use, stopped by its PID at
 * exit) and a fresh Azure ML emulator per test, configured like the demo's with short job times.
 */
public final class TestAzureMl {

    public static final Duration JOB_DURATION = Duration.ofMillis(300);
    public static final String POLL_INTERVAL = "100";

    private static AzuriteServer azurite;
    private static BlobServiceClient blobs;

    private TestAzureMl() {
    }

    public static synchronized AzuriteServer azurite() {
        if (azurite == null) {
            azurite = AzuriteServer.start(AzuriteOptions.inMemoryPersistence());
        }
        return azurite;
    }

    public static synchronized BlobServiceClient blobs() {
        if (blobs == null) {
            blobs = new BlobServiceClientBuilder().connectionString(azurite().connectionString()).buildClient();
        }
        return blobs;
    }

    public static EmulatorLauncher.Running start() {
        return start(builder -> { });
    }

    public static EmulatorLauncher.Running start(Consumer<AzureMlEmulator.Builder> customize) {
        EmulatorLauncher.Options options = EmulatorLauncher.Options.builder()
                .jobDuration(JOB_DURATION).queueTime(Duration.ZERO).trainingApiKey("test-training-key-0123")
                .scoringApiKey("test-scoring-key-4567").build();
        return EmulatorLauncher.start(options, azurite(), customize);
    }

    /** The {@code retrain.*} properties of a pipeline that points at {@code running}, keeping its state in {@code dataDir}. */
    public static Map<String, String> properties(EmulatorLauncher.Running running, Path dataDir) {
        Map<String, String> properties = new LinkedHashMap<>(running.properties());
        properties.put("retrain.poll.interval", POLL_INTERVAL);
        properties.put("retrain.job.timeout", "30s");
        properties.put("retrain.data.dir", dataDir.toString());
        properties.put("retrain.archive.dir", dataDir.resolve("models").toString());
        return properties;
    }

    public static RetrainConfig config(Map<String, String> properties) {
        MapConfigSource source = new MapConfigSource();
        properties.forEach(source::with);
        return RetrainConfigLoader.load(source);
    }

    /** Puts a blob into Azurite (creating its container), e.g. training data for one test. */
    public static void upload(String relativeLocation, byte[] content) {
        int slash = relativeLocation.indexOf('/');
        var container = blobs().getBlobContainerClient(relativeLocation.substring(0, slash));
        container.createIfNotExists();
        container.getBlobClient(relativeLocation.substring(slash + 1))
                .upload(com.azure.core.util.BinaryData.fromBytes(content), true);
    }

    /** SHA-256 of a blob as stored, read straight from Azurite. */
    public static String blobSha256(String relativeLocation) throws Exception {
        int slash = relativeLocation.indexOf('/');
        byte[] bytes = blobs().getBlobContainerClient(relativeLocation.substring(0, slash))
                .getBlobClient(relativeLocation.substring(slash + 1)).downloadContent().toBytes();
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    public static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file)));
    }
}

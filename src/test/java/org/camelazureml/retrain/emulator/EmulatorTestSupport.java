package org.camelazureml.retrain.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camelazureml.retrain.support.TestAzureMl;
import org.camelazureml.retrain.azurite.AzuriteServer;
import org.junit.jupiter.api.BeforeAll;

/**
 * One Azurite for the test JVM (shared), plus helpers to put training data in it and to build BES submit
 * bodies the way a client would (JSON trees, exact field names).
 */
abstract class EmulatorTestSupport {

    static final String DATA_CONTAINER = "trainingdata";
    static final String MODEL_CONTAINER = "models";

    static AzuriteServer azurite;
    static BlobServiceClient blobs;

    @BeforeAll
    static void startAzurite() {
        // one Azurite for the whole test JVM, shared with the pipeline tests; it stops at exit
        azurite = TestAzureMl.azurite();
        blobs = TestAzureMl.blobs();
        blobs.createBlobContainerIfNotExists(DATA_CONTAINER);
        blobs.createBlobContainerIfNotExists(MODEL_CONTAINER);
    }

    /** An emulator builder with the test services: workspace ws1, training service train-svc with key train-key. */
    static AzureMlEmulator.Builder testEmulator() {
        return AzureMlEmulator.builder().workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build());
    }

    /** Uploads a CSV to the data container and answers its RelativeLocation. */
    static String uploadData(byte[] content) {
        String name = "train-" + UUID.randomUUID() + ".csv";
        BlobContainerClient container = blobs.getBlobContainerClient(DATA_CONTAINER);
        container.getBlobClient(name).upload(BinaryData.fromBytes(content), true);
        return DATA_CONTAINER + "/" + name;
    }

    static String uploadData(String csv) {
        return uploadData(csv.getBytes(StandardCharsets.UTF_8));
    }

    /** y = 2*a - 3*b + 1 + noise; deterministic for a seed. */
    static byte[] linearCsv(int rows, double noise, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < rows; i++) {
            double a = random.nextDouble() * 10;
            double b = random.nextDouble() * 10;
            double y = 2 * a - 3 * b + 1 + random.nextGaussian() * noise;
            csv.append(a).append(',').append(b).append(',').append(y).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String uniqueRun() {
        return "run-" + UUID.randomUUID();
    }

    static ObjectNode connectionStringReference(String relativeLocation) {
        return Json.object().put("ConnectionString", azurite.connectionString()).put("RelativeLocation", relativeLocation);
    }

    /** A valid submit body for the default test service: input1, output1 (model), output2 (metrics). */
    static ObjectNode jobBody(String inputLocation, String run) {
        ObjectNode body = Json.object();
        body.putObject("Inputs").set("input1", connectionStringReference(inputLocation));
        ObjectNode outputs = body.putObject("Outputs");
        outputs.set("output1", connectionStringReference(MODEL_CONTAINER + "/" + run + "/model.ilearner"));
        outputs.set("output2", connectionStringReference(MODEL_CONTAINER + "/" + run + "/metrics.csv"));
        body.putObject("GlobalParameters");
        return body;
    }

    static byte[] download(String relativeLocation) {
        String container = relativeLocation.substring(0, relativeLocation.indexOf('/'));
        String blob = relativeLocation.substring(relativeLocation.indexOf('/') + 1);
        return blobs.getBlobContainerClient(container).getBlobClient(blob).downloadContent().toBytes();
    }

    /** SHA-256 of the bytes, lower-case hex, as {@link ServedModel#sha256()} gives it. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static boolean exists(String relativeLocation) {
        String container = relativeLocation.substring(0, relativeLocation.indexOf('/'));
        String blob = relativeLocation.substring(relativeLocation.indexOf('/') + 1);
        return blobs.getBlobContainerClient(container).getBlobClient(blob).exists();
    }
}

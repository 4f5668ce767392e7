package org.camelazureml.retrain.emulator;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.camelazureml.retrain.azurite.AzuriteServer;

/**
 * Starts the emulator for a person trying route edits offline (the application's {@code --emulator}
 * mode), optionally with Azurite, and prints the {@code retrain.*} properties that point the routes
 * at it. The keys printed are the emulator's own throwaway keys.
 *
 * <pre>{@code
 * try (EmulatorLauncher.Running running = EmulatorLauncher.start(EmulatorLauncher.Options.builder().startAzurite(true).build())) {
 *     running.printTo(System.out);
 *     ...
 * }
 * }</pre>
 */
public final class EmulatorLauncher {

    public static final String TRAINING_SERVICE = "train-svc";
    public static final String SCORING_SERVICE = "score-svc";
    public static final String UPDATABLE_ENDPOINT = "ep1";
    public static final String SAMPLE_CONTAINER = "trainingdata";
    public static final String SAMPLE_BLOB = "train.csv";
    public static final String INPUT_PORT = "input1";
    public static final String MODEL_PORT = "output1";
    public static final String METRICS_PORT = "output2";

    private EmulatorLauncher() {
    }

    /**
     * @param port             port on 127.0.0.1, 0 = any free port
     * @param workspace        workspace id in the URLs
     * @param trainingApiKey   the training service's key; null = random
     * @param scoringApiKey    the updatable endpoint's key; null = random
     * @param jobDuration      how long a job runs
     * @param queueTime        how long a started job waits NotStarted
     * @param faultSpec        faults to inject, grammar on {@link FaultPlan}; null or blank = none
     * @param startAzurite     also start Azurite (needs Node.js and {@code npm ci}) and put sample training data in it
     * @param trainedModelName the scoring service's updatable resource name
     */
    public record Options(int port, String workspace, String trainingApiKey, String scoringApiKey, Duration jobDuration,
                          Duration queueTime, String faultSpec, boolean startAzurite, String trainedModelName) {

        public Options {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(jobDuration, "jobDuration");
            Objects.requireNonNull(queueTime, "queueTime");
            Objects.requireNonNull(trainedModelName, "trainedModelName");
            FaultPlan.parse(faultSpec); // a bad spec fails here, before anything starts
        }

        public static Builder builder() {
            return new Builder();
        }

        @Override
        public String toString() {
            return "Options[port=" + port + ", workspace=" + workspace + ", jobDuration=" + jobDuration + ", queueTime="
                    + queueTime + ", faults=" + faultSpec + ", startAzurite=" + startAzurite + ", trainedModelName="
                    + trainedModelName + "]";
        }

        public static final class Builder {
            private int port;
            private String workspace = "emulated-workspace";
            private String trainingApiKey;
            private String scoringApiKey;
            private Duration jobDuration = Duration.ofSeconds(5);
            private Duration queueTime = Duration.ofSeconds(1);
            private String faultSpec;
            private boolean startAzurite;
            private String trainedModelName = "Retrained Model [trained model]";

            public Builder port(int port) {
                this.port = port;
                return this;
            }

            public Builder workspace(String workspace) {
                this.workspace = workspace;
                return this;
            }

            public Builder trainingApiKey(String key) {
                this.trainingApiKey = key;
                return this;
            }

            public Builder scoringApiKey(String key) {
                this.scoringApiKey = key;
                return this;
            }

            public Builder jobDuration(Duration duration) {
                this.jobDuration = duration;
                return this;
            }

            public Builder queueTime(Duration duration) {
                this.queueTime = duration;
                return this;
            }

            public Builder faultSpec(String spec) {
                this.faultSpec = spec;
                return this;
            }

            public Builder startAzurite(boolean start) {
                this.startAzurite = start;
                return this;
            }

            public Builder trainedModelName(String name) {
                this.trainedModelName = name;
                return this;
            }

            public Options build() {
                return new Options(port, workspace, trainingApiKey, scoringApiKey, jobDuration, queueTime, faultSpec,
                        startAzurite, trainedModelName);
            }
        }
    }

    /** A started emulator (and Azurite, if asked for); closing stops both. */
    public static final class Running implements AutoCloseable {
        private final AzureMlEmulator emulator;
        private final AzuriteServer azurite;
        private final boolean ownsAzurite;

        private Running(AzureMlEmulator emulator, AzuriteServer azurite, boolean ownsAzurite) {
            this.emulator = emulator;
            this.azurite = azurite;
            this.ownsAzurite = ownsAzurite;
        }

        public AzureMlEmulator emulator() {
            return emulator;
        }

        public Optional<AzuriteServer> azurite() {
            return Optional.ofNullable(azurite);
        }

        /** The {@code retrain.*} properties that point the routes at this emulator, in a stable order. */
        public Map<String, String> properties() {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("retrain.training.endpoint", emulator.trainingJobsUrl());
            properties.put("retrain.training.api-key", emulator.trainingService().apiKey());
            properties.put("retrain.training.inputs." + INPUT_PORT, SAMPLE_CONTAINER + "/" + SAMPLE_BLOB);
            properties.put("retrain.training.outputs." + MODEL_PORT, "models/{runId}/model.ilearner");
            properties.put("retrain.training.outputs." + METRICS_PORT, "models/{runId}/evaluation.csv");
            properties.put("retrain.training.model-output", MODEL_PORT);
            properties.put("retrain.scoring.update-resource-endpoint", emulator.updateResourceUrl(UPDATABLE_ENDPOINT));
            properties.put("retrain.scoring.api-key", emulator.endpointKey(UPDATABLE_ENDPOINT));
            properties.put("retrain.scoring.trained-model-name", emulator.scoringService().resourceNames().get(0));
            if (azurite != null) {
                properties.put("retrain.storage.connection-string", azurite.connectionString());
            }
            return properties;
        }

        /** Prints the properties, with comments on ports, endpoints and faults. */
        public void printTo(PrintStream out) {
            TrainingServiceSpec training = emulator.trainingService();
            out.println("# Azure ML Studio (classic) emulator on " + emulator.baseUrl()
                    + " (emulator keys: throwaway, valid for this run only)");
            out.println("# training web service '" + training.name() + "': inputs " + training.inputPorts()
                    + ", outputs " + training.outputPorts() + " (trained model: "
                    + String.join(", ", training.trainedModelPorts()) + ", .ilearner; others: evaluation metrics .csv)");
            out.println("# scoring web service '" + emulator.scoringService().webServiceId() + "': endpoint '"
                    + UPDATABLE_ENDPOINT + "' is updatable; Request-Response: " + emulator.scoringUrl(UPDATABLE_ENDPOINT));
            if (azurite != null) {
                out.println("# Azurite blob service: " + azurite.blobEndpoint() + " (pid " + azurite.pid()
                        + "); sample training data: " + SAMPLE_CONTAINER + "/" + SAMPLE_BLOB);
            }
            if (!emulator.faults().faults().isEmpty()) {
                out.println("# injected faults: " + emulator.faults());
            }
            properties().forEach((key, value) -> out.println(key + "=" + value));
        }

        @Override
        public void close() {
            emulator.close();
            if (ownsAzurite) {
                azurite.close();
            }
        }
    }

    public static Running start(Options options) {
        return start(options, null, builder -> { });
    }

    /**
     * Starts the standard emulator (one training service: input1 -> output1 model + output2 metrics; one scoring
     * service with a default and an updatable endpoint). With {@code storage} given, it uses that Azurite (not
     * stopped on close) instead of starting one; {@code customize} adjusts the emulator before it starts (tests
     * use it for faults and status formats).
     */
    public static Running start(Options options, AzuriteServer storage, Consumer<AzureMlEmulator.Builder> customize) {
        boolean ownsAzurite = storage == null && options.startAzurite();
        AzuriteServer azurite = ownsAzurite ? AzuriteServer.start() : storage;
        try {
            AzureMlEmulator.Builder builder = AzureMlEmulator.builder()
                    .port(options.port())
                    .workspace(options.workspace())
                    .trainingService(TrainingServiceSpec.builder(TRAINING_SERVICE).apiKey(options.trainingApiKey())
                            .inputPorts(INPUT_PORT).outputPorts(MODEL_PORT, METRICS_PORT).trainedModelPort(MODEL_PORT)
                            .build())
                    .scoringService(ScoringServiceSpec.builder(SCORING_SERVICE).resourceNames(options.trainedModelName())
                            .endpoint("default", null, true)
                            .endpoint(UPDATABLE_ENDPOINT, options.scoringApiKey(), false).build())
                    .jobDuration(options.jobDuration())
                    .queueTime(options.queueTime())
                    .faults(FaultPlan.parse(options.faultSpec()));
            customize.accept(builder);
            AzureMlEmulator emulator = builder.start();
            if (azurite != null) {
                uploadSampleTrainingData(azurite.connectionString());
            }
            return new Running(emulator, azurite, ownsAzurite);
        } catch (RuntimeException e) {
            if (ownsAzurite) {
                azurite.close();
            }
            throw e;
        }
    }

    /** Starts, prints the properties to {@code out}, and blocks until the JVM shuts down (Ctrl+C). */
    public static void runUntilShutdown(Options options, PrintStream out) throws InterruptedException {
        Running running = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "azureml-emulator-shutdown"));
        running.printTo(out);
        out.println("# press Ctrl+C to stop");
        out.flush();
        stopped.await();
    }

    /**
     * 200 rows of {@code x1,x2,x3,y} with y = 3*x1 - 2*x2 + 0.5*x3 + 5 + noise, fixed seed, so a
     * first retraining run has something to learn from.
     */
    static void uploadSampleTrainingData(String connectionString) {
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(connectionString).buildClient()
                .getBlobContainerClient(SAMPLE_CONTAINER);
        container.createIfNotExists();
        container.getBlobClient(SAMPLE_BLOB).upload(BinaryData.fromBytes(sampleCsv(200, 1.0, 42)), true);
    }

    public static byte[] sampleCsv(int rows, double noise, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble() * 10;
            double x2 = random.nextDouble() * 10;
            double x3 = random.nextDouble() * 10;
            double y = 3 * x1 - 2 * x2 + 0.5 * x3 + 5 + random.nextGaussian() * noise;
            csv.append(x1).append(',').append(x2).append(',').append(x3).append(',').append(y).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package org.camelazureml.retrain.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.state.FileRunStore;
import org.camelazureml.retrain.state.RetrainRun;

/**
 * Runs the real application (camel-main, the packaged route file) in this JVM against a fresh emulator and the
 * shared Azurite, keeping its state in {@code dataDir}. Close it to stop the emulator.
 */
public final class PipelineHarness implements AutoCloseable {

    /** The node name the harness's runtimes record as the owner of their runs. */
    public static final String NODE = "test-node";

    private final EmulatorLauncher.Running azureMl;
    private final Map<String, String> properties;
    private final Path dataDir;

    public PipelineHarness(Path dataDir, Consumer<AzureMlEmulator.Builder> emulatorSetup) {
        this.dataDir = dataDir;
        this.azureMl = TestAzureMl.start(emulatorSetup);
        this.properties = new LinkedHashMap<>(TestAzureMl.properties(azureMl, dataDir));
        properties.put("retrain.retry.initial-delay", "100ms");
        properties.put("retrain.retry.max-delay", "2s");
        properties.put("retrain.node.name", NODE);
    }

    /** Changes or adds a property for the next runtime made. */
    public PipelineHarness with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public Map<String, String> properties() {
        return properties;
    }

    private static final List<String> PIPELINE_KEYS = List.of("training.", "storage.", "scoring.", "gate.", "poll.",
            "job.", "schedule.", "archive.", "health.");

    /** Adds a named pipeline with the default pipeline's settings (under {@code retrain.pipelines.<name>.}). */
    public PipelineHarness withPipeline(String name) {
        properties.putAll(namedPipeline(properties, name));
        return this;
    }

    /** The default pipeline's settings in {@code properties}, as those of pipeline {@code name}. */
    public static Map<String, String> namedPipeline(Map<String, String> properties, String name) {
        Map<String, String> copies = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            String rest = key.substring(key.startsWith("retrain.") ? "retrain.".length() : 0);
            if (key.startsWith("retrain.") && PIPELINE_KEYS.stream().anyMatch(rest::startsWith)) {
                copies.put("retrain.pipelines." + name + "." + rest, value);
            }
        });
        return copies;
    }

    /** Removes the unnamed (default) pipeline's settings, leaving only named pipelines. */
    public PipelineHarness withoutDefaultPipeline() {
        properties.keySet().removeIf(key -> key.startsWith("retrain.")
                && PIPELINE_KEYS.stream().anyMatch(prefix -> key.startsWith("retrain." + prefix)));
        return this;
    }

    /** Writes the properties to a file, for the command line and the packaged jar. */
    public Path writeProperties(Path file) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) -> text.append(key.replace(" ", "\\ ")).append('=').append(value)
                .append('\n'));
        java.nio.file.Files.writeString(file, text);
        return file;
    }

    public RetrainRuntime runtime() {
        RetrainRuntime runtime = new RetrainRuntime(null, null);
        properties.forEach(runtime::withProperty);
        return runtime;
    }

    /** One {@code --once} run; the exit code. */
    public int runOnce() throws Exception {
        return runtime().runOnce("default");
    }

    public AzureMlEmulator emulator() {
        return azureMl.emulator();
    }

    public FileRunStore store() {
        return new FileRunStore(dataDir);
    }

    /** The most recent run of the default pipeline, as recorded. */
    public RetrainRun lastRun() {
        return lastRun("default");
    }

    public RetrainRun lastRun(String pipeline) {
        List<RetrainRun> runs = store().list(pipeline, 1);
        if (runs.isEmpty()) {
            throw new AssertionError("no run recorded");
        }
        return runs.get(0);
    }

    public List<RecordedRequest> requests(Operation operation) {
        return azureMl.emulator().requests().stream().filter(r -> r.operation() == operation).toList();
    }

    @Override
    public void close() {
        azureMl.close();
    }
}

package org.camelazureml.retrain.steps;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.RetrainConfig;
import org.camelazureml.retrain.config.Secret;
import org.camelazureml.retrain.notify.RunListener;
import org.camelazureml.retrain.state.ModelHistory;
import org.camelazureml.retrain.state.RunStore;
import org.camelazureml.retrain.storage.ModelStorage;

/**
 * What every step shares: the configuration, the run store, the Azure ML client, each pipeline's storage, a clock,
 * and the runs this process has in flight right now.
 */
public class PipelineResources implements AutoCloseable {

    private final RetrainConfig config;
    private final RunStore runStore;
    private final AzureMlClient azureMl;
    private final Map<String, ModelStorage> storage = new LinkedHashMap<>();
    private final Clock clock;
    private final Set<String> inFlightHere = ConcurrentHashMap.newKeySet();
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

    public PipelineResources(RetrainConfig config, RunStore runStore, AzureMlClient azureMl, Clock clock) {
        this.config = config;
        this.runStore = runStore;
        this.azureMl = azureMl;
        this.clock = clock;
        // pipelines on one storage account share its client (its connection pool and event loops); keyed by the
        // connection string, not the record parsed from it: a record's first hashCode costs a start ~40 generated
        // classes (java.lang.runtime.ObjectMethods)
        Map<Secret, ModelStorage> byAccount = new HashMap<>();
        config.pipelines().forEach((name, pipeline) -> storage.put(name, byAccount.computeIfAbsent(
                pipeline.storage().connectionString(), connectionString -> new ModelStorage(pipeline.storage()))));
    }

    public RetrainConfig config() {
        return config;
    }

    public PipelineConfig pipeline(String name) {
        return config.pipeline(name);
    }

    public RunStore runStore() {
        return runStore;
    }

    /** Which model served where and when, read from the run store. */
    public ModelHistory history() {
        return new ModelHistory(runStore);
    }

    public AzureMlClient azureMl() {
        return azureMl;
    }

    public ModelStorage storage(String pipeline) {
        ModelStorage pipelineStorage = storage.get(pipeline);
        if (pipelineStorage == null) {
            throw new IllegalArgumentException("no pipeline named '" + pipeline + "'");
        }
        return pipelineStorage;
    }

    public Clock clock() {
        return clock;
    }

    /** Registers a listener for run outcomes and retries (metrics, for example). */
    public void addListener(RunListener listener) {
        listeners.add(listener);
    }

    public List<RunListener> listeners() {
        return listeners;
    }

    /** Marks a run as being carried by an exchange in this process; false if one already carries it. */
    public boolean markInFlight(String runId) {
        return inFlightHere.add(runId);
    }

    public void unmarkInFlight(String runId) {
        inFlightHere.remove(runId);
    }

    @Override
    public void close() throws Exception {
        runStore.close();
    }
}

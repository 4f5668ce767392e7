package org.camelazureml.retrain.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.ModelRecord;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;

/**
 * Which model served where and when, read from the run records: every successful endpoint update (by a training run
 * or a rollback) is a deployment, live until the next deployment on the same endpoint replaces it. Nothing is
 * stored twice: the runs are the audit log.
 */
public class ModelHistory {

    /** How many of a pipeline's most recent runs the history looks at. */
    static final int DEPTH = 1000;

    private final RunStore store;

    public ModelHistory(RunStore store) {
        this.store = store;
    }

    /**
     * A model put behind an endpoint: by which run (a training run or a rollback), the run that trained it, the
     * model, when it went live and when it was replaced (null: still live), and its evaluation metrics if known.
     */
    public record Deployment(String pipeline, String endpoint, String resourceName, String byRun, RunKind kind,
            String trainedByRun, String modelOutput, String sha256, String relativeLocation, Instant liveFrom,
            Instant replacedAt, Map<String, Double> metrics) {
    }

    /** Every deployment of the pipeline, newest first, optionally only on one endpoint. */
    public List<Deployment> deployments(String pipeline, String endpoint) {
        List<Deployment> live = new ArrayList<>();
        for (RetrainRun run : store.list(pipeline, DEPTH)) {
            for (EndpointUpdate update : run.getUpdates()) {
                if (update.status() == UpdateStatus.UPDATED && (endpoint == null || endpoint.equals(update.endpoint()))) {
                    ModelRecord model = run.model(update.modelOutput());
                    live.add(new Deployment(pipeline, update.endpoint(), update.resourceName(), run.getRunId(),
                            run.getKind(), run.getKind() == RunKind.ROLLBACK ? run.getRollbackOf() : run.getRunId(),
                            update.modelOutput(), update.sha256(), model == null ? null : model.relativeLocation(),
                            update.at(), null, run.getMetrics()));
                }
            }
        }
        live.sort(Comparator.comparing(Deployment::liveFrom).reversed());
        List<Deployment> withReplacement = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            Deployment current = live.get(i);
            Instant replacedAt = null;
            for (int j = i - 1; j >= 0 && replacedAt == null; j--) { // the nearest newer one on that resource
                Deployment newer = live.get(j);
                if (newer.endpoint().equals(current.endpoint()) && newer.resourceName().equals(current.resourceName())) {
                    replacedAt = newer.liveFrom();
                }
            }
            withReplacement.add(new Deployment(current.pipeline(), current.endpoint(), current.resourceName(),
                    current.byRun(), current.kind(), current.trainedByRun(), current.modelOutput(), current.sha256(),
                    current.relativeLocation(), current.liveFrom(), replacedAt, current.metrics()));
        }
        return withReplacement;
    }

    /** What the endpoint serves now, as far as the runs know. */
    public Optional<Deployment> live(String pipeline, String endpoint) {
        return deployments(pipeline, endpoint).stream().findFirst();
    }

    /** The model the endpoint served before its current one (a different model), for "rollback to previous". */
    public Optional<Deployment> previous(String pipeline, String endpoint) {
        List<Deployment> deployments = deployments(pipeline, endpoint);
        if (deployments.isEmpty()) {
            return Optional.empty();
        }
        String current = deployments.get(0).sha256();
        return deployments.stream().skip(1).filter(deployment -> !deployment.sha256().equals(current)).findFirst();
    }
}

package org.camelazureml.retrain.state;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are recorded. A save is atomic: after a crash the store holds either the previous or the new state
 * of a run, never a torn one. The embedded default is {@link FileRunStore}.
 */
public interface RunStore {

    void save(RetrainRun run);

    Optional<RetrainRun> find(String pipeline, String runId);

    /** The pipeline's runs, newest first. */
    List<RetrainRun> list(String pipeline);
}

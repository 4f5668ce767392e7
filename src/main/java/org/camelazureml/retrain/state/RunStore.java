package org.camelazureml.retrain.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where runs are recorded, so that a restart continues a run instead of starting over and no pipeline ever has two runs
 * in flight. Every write is atomic: after a crash the store holds the previous or the new state of a run, never a torn
 * one; and durable: once a write returns, a crash of the process or of the machine does not undo it (the submit step
 * records that it is sending a submit, and sends it only when that record would survive), except a
 * {@link #saveProgress progress save}, which only a machine crash may undo. {@link FileRunStore} is the
 * embedded default; {@link JdbcRunStore} lets several nodes share one PostgreSQL database.
 */
public interface RunStore extends AutoCloseable {

    /**
     * Records {@code run} (status RUNNING) as its pipeline's run in flight, unless the pipeline already has an
     * unfinished run, here or on another node sharing the store; then nothing is written and that run is returned.
     * Atomic: of two nodes beginning at once, one wins.
     */
    Optional<RetrainRun> begin(RetrainRun run);

    /**
     * Replaces the run's recorded state with its current one and sets its {@code updatedAt}. Runs in flight start
     * with {@link #begin}: a store may refuse to record a second RUNNING run of a pipeline ({@link JdbcRunStore}
     * does).
     */
    void save(RetrainRun run);

    /**
     * Like {@link #save}, for progress the pipeline can redo: atomic like every write, but a crash of the machine
     * (not of the process) soon after it may undo it; the run then resumes from its previous record and does the
     * step again. Steps use it where redoing is harmless (starting a started job, polling again, fetching again,
     * sending the same update again) and {@link #save} before anything that must not happen twice. A store that
     * can make this cheaper does ({@link FileRunStore} flushes the disk once instead of twice); by default it is
     * {@link #save}.
     */
    default void saveProgress(RetrainRun run) {
        save(run);
    }

    Optional<RetrainRun> find(String pipeline, String runId);

    /** The pipeline's most recent runs, newest first, at most {@code limit}. */
    List<RetrainRun> list(String pipeline, int limit);

    /** The pipeline's run that has not ended (status RUNNING), if any. */
    Optional<RetrainRun> unfinished(String pipeline);

    /**
     * Makes {@code owner} the owner of an unfinished run, when it already is or when the run was last saved before
     * {@code staleBefore} (its owner went quiet). Atomic compare-and-set; false when another node holds the run or
     * it has ended.
     */
    boolean claim(String pipeline, String runId, String owner, Instant staleBefore);

    @Override
    default void close() {
    }
}

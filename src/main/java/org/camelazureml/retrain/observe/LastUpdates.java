package org.camelazureml.retrain.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.camelazureml.retrain.notify.RunEvent;
import org.camelazureml.retrain.notify.RunListener;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.ModelRecord;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunKind;
import org.camelazureml.retrain.state.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each scoring endpoint last got a newly trained model, and how big each training output's latest model was:
 * what the freshness metrics and health checks read. Read from the run store when first asked (the runs are the
 * record), kept current by this process's run outcomes, and read again from the store's most recent runs at most
 * every {@link #REFRESH} when asked, so runs made by another node or by the command line are seen too. A rollback puts an
 * earlier model back and so does not count as an update: only training runs do. Reading never touches the store on
 * the routing thread, and never throws: a store that cannot be read leaves the values known so far.
 */
public class LastUpdates implements RunListener {

    /** How often a reader may cause the store's most recent runs to be read again. */
    static final Duration REFRESH = Duration.ofSeconds(30);
    /** How many of a pipeline's runs the first read looks at (as far back as the model history looks). */
    static final int FIRST_DEPTH = 1000;
    /** How many of a pipeline's most recent runs a refresh reads; older news is already known. */
    static final int REFRESH_DEPTH = 20;

    private static final Logger LOG = LoggerFactory.getLogger(LastUpdates.class);

    /** An endpoint or a training output of a pipeline. */
    private record Key(String pipeline, String name) {
    }

    /** A trained model's size, and when the run that fetched it began (the newest wins). */
    private record ModelSize(Instant runCreatedAt, long bytes) {
    }

    private final RunStore store;
    private final Collection<String> pipelines;
    private final Clock clock;
    private final Instant since;
    private final Map<Key, Instant> updates = new ConcurrentHashMap<>();
    private final Map<Key, ModelSize> models = new ConcurrentHashMap<>();
    private volatile Instant readAt;

    public LastUpdates(RunStore store, Collection<String> pipelines, Clock clock) {
        this.store = store;
        this.pipelines = List.copyOf(pipelines);
        this.clock = clock;
        this.since = clock.instant();
    }

    /** When this began watching (this process's start): the grace of a pipeline that was never updated. */
    public Instant since() {
        return since;
    }

    /** When the endpoint last got a newly trained model, if it ever did. */
    public Optional<Instant> lastUpdate(String pipeline, String endpoint) {
        refreshIfDue();
        return Optional.ofNullable(updates.get(new Key(pipeline, endpoint)));
    }

    /** When any endpoint of the pipeline last got a newly trained model, if one ever did. */
    public Optional<Instant> lastUpdate(String pipeline) {
        refreshIfDue();
        return updates.entrySet().stream().filter(entry -> entry.getKey().pipeline().equals(pipeline))
                .map(Map.Entry::getValue).max(Instant::compareTo);
    }

    /** The size in bytes of the latest model fetched from the pipeline's training output, deployed or not. */
    public OptionalLong modelSize(String pipeline, String output) {
        refreshIfDue();
        ModelSize size = models.get(new Key(pipeline, output));
        return size == null ? OptionalLong.empty() : OptionalLong.of(size.bytes());
    }

    @Override
    public void onOutcome(RunEvent event, RetrainRun run) {
        if (run != null) {
            record(run);
        }
    }

    private void record(RetrainRun run) {
        if (run.getKind() != RunKind.TRAINING) {
            return;
        }
        for (EndpointUpdate update : run.getUpdates()) {
            if (update.status() == UpdateStatus.UPDATED && update.at() != null) {
                updates.merge(new Key(run.getPipeline(), update.endpoint()), update.at(),
                        (known, seen) -> seen.isAfter(known) ? seen : known);
            }
        }
        Instant created = run.getCreatedAt() != null ? run.getCreatedAt() : Instant.EPOCH;
        for (ModelRecord model : run.getModels()) {
            models.merge(new Key(run.getPipeline(), model.output()), new ModelSize(created, model.sizeBytes()),
                    (known, seen) -> seen.runCreatedAt().isBefore(known.runCreatedAt()) ? known : seen);
        }
    }

    private void refreshIfDue() {
        Instant read = readAt;
        if (read != null && clock.instant().isBefore(read.plus(REFRESH))) {
            return;
        }
        synchronized (this) {
            if (readAt == read) { // else another reader has just read the store
                read(read == null ? FIRST_DEPTH : REFRESH_DEPTH);
            }
        }
    }

    private void read(int depth) {
        readAt = clock.instant();
        for (String pipeline : pipelines) {
            try {
                store.list(pipeline, depth).forEach(this::record);
            } catch (RuntimeException e) {
                LOG.warn("Cannot read the runs of pipeline {} for its last updates; keeping what is known: {}",
                        pipeline, e.getMessage());
            }
        }
    }
}

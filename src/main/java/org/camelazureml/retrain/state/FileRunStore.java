package org.camelazureml.retrain.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The embedded run store: one JSON file per run under {@code <dataDir>/runs/<pipeline>/<runId>.json}. Each save writes
 * a temporary file, forces it to disk, renames it over the old one atomically and forces the directory, so a crash
 * mid-write leaves the previous state intact and a save that returned survives a crash of the machine. Needs no
 * server; it serves one node (one process at a time per data directory). For several nodes use {@link JdbcRunStore}.
 *
 * <p>Each pipeline has its own lock: begin's check-then-write is atomic within a pipeline, and the runs of different
 * pipelines are written (and forced to disk) in parallel rather than one after another.
 */
public class FileRunStore implements RunStore {

    /** Run ids and pipeline names as file names: nothing that could leave the directory or hide the file. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path root;
    private final Clock clock;
    private final Map<String, Object> pipelineLocks = new ConcurrentHashMap<>();

    public FileRunStore(Path dataDir) {
        this(dataDir, Clock.systemUTC());
    }

    public FileRunStore(Path dataDir, Clock clock) {
        this.root = dataDir.resolve("runs");
        this.clock = clock;
    }

    @Override
    public Optional<RetrainRun> begin(RetrainRun run) {
        synchronized (lock(run.getPipeline())) {
            Optional<RetrainRun> inFlight = unfinished(run.getPipeline());
            if (inFlight.isPresent()) {
                return inFlight;
            }
            run.setStatus(RunStatus.RUNNING);
            save(run);
            return Optional.empty();
        }
    }

    @Override
    public void save(RetrainRun run) {
        synchronized (lock(run.getPipeline())) {
            write(run, true);
        }
    }

    /**
     * Forces the new record's content before the rename, as {@link #save} does, but not the directory after it: a
     * machine crash can then bring back the previous record (never a torn one), which is all a progress save
     * promises. One disk flush instead of two.
     */
    @Override
    public void saveProgress(RetrainRun run) {
        synchronized (lock(run.getPipeline())) {
            write(run, false);
        }
    }

    private void write(RetrainRun run, boolean durable) {
        Path dir = root.resolve(safeName(run.getPipeline()));
        Path target = dir.resolve(safeName(run.getRunId()) + ".json");
        Path temp = dir.resolve("." + safeName(run.getRunId()) + ".json.tmp");
        run.setUpdatedAt(clock.instant());
        try {
            byte[] bytes = RunJson.write(run);
            try (FileChannel channel = openTemporary(dir, temp)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) {
                forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record run " + run.getRunId() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private FileChannel openTemporary(Path dir, Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            // the pipeline's first record (making sure of the directory on every save cost two system calls each)
            boolean newRoot = !Files.isDirectory(root);
            Files.createDirectories(dir);
            // the new directories' own entries: the pipeline's in the runs directory, and the runs directory's in the
            // data directory when this is the data directory's first record
            forceDirectory(root);
            if (newRoot) {
                forceDirectory(root.getParent());
            }
            return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /**
     * The rename itself is an entry in the directory: until the directory is forced, a machine crash can bring back
     * the previous record even though the new one's content was on disk. The submit step relies on the record that
     * says "a submit is being sent" having survived before it sends one.
     */
    private static void forceDirectory(Path dir) throws IOException {
        if (dir == null) {
            return; // the data directory given as an empty path: the working directory
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // a platform that cannot open a directory (Windows): the rename is as durable as it makes it
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public Optional<RetrainRun> find(String pipeline, String runId) {
        synchronized (lock(pipeline)) {
            return read(root.resolve(safeName(pipeline)).resolve(safeName(runId) + ".json"));
        }
    }

    @Override
    public List<RetrainRun> list(String pipeline, int limit) {
        synchronized (lock(pipeline)) {
            List<RetrainRun> runs = all(pipeline);
            return runs.size() > limit ? runs.subList(0, limit) : runs;
        }
    }

    @Override
    public Optional<RetrainRun> unfinished(String pipeline) {
        synchronized (lock(pipeline)) {
            return all(pipeline).stream().filter(run -> run.getStatus() == RunStatus.RUNNING).findFirst();
        }
    }

    @Override
    public boolean claim(String pipeline, String runId, String owner, Instant staleBefore) {
        synchronized (lock(pipeline)) {
            Optional<RetrainRun> found = find(pipeline, runId);
            if (found.isEmpty() || found.get().getStatus() != RunStatus.RUNNING) {
                return false;
            }
            RetrainRun run = found.get();
            boolean mine = Objects.equals(run.getOwner(), owner);
            boolean stale = run.getUpdatedAt() == null || run.getUpdatedAt().isBefore(staleBefore);
            if (!mine && !stale) {
                return false;
            }
            if (!mine) {
                run.setOwner(owner);
                write(run, true);
            }
            return true;
        }
    }

    private Object lock(String pipeline) {
        return pipelineLocks.computeIfAbsent(safeName(pipeline), name -> new Object());
    }

    private List<RetrainRun> all(String pipeline) {
        Path dir = root.resolve(safeName(pipeline));
        List<RetrainRun> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                read(file).ifPresent(runs::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list runs in " + dir + ": " + e.getMessage(), e);
        }
        runs.sort(Comparator.comparing(RetrainRun::getCreatedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return runs;
    }

    private static Optional<RetrainRun> read(Path file) {
        try {
            return Optional.of(RunJson.read(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Run ids and pipeline names are ours, but a file name is no place to trust that. */
    private static String safeName(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a safe run or pipeline name: '" + name + "'");
        }
        return name;
    }
}

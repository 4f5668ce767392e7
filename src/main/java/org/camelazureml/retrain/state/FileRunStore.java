package org.camelazureml.retrain.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The embedded run store: one JSON file per run under {@code <dataDir>/runs/<pipeline>/<runId>.json}. Each save
 * writes a temporary file, forces it to disk and renames it over the old one atomically, so a crash mid-write
 * leaves the previous state intact. Needs no server; for several nodes use a shared database store.
 */
public class FileRunStore implements RunStore {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public FileRunStore(Path dataDir) {
        this.root = dataDir.resolve("runs");
    }

    @Override
    public void save(RetrainRun run) {
        Path dir = root.resolve(safeName(run.getPipeline()));
        Path target = dir.resolve(safeName(run.getRunId()) + ".json");
        Path temp = dir.resolve("." + safeName(run.getRunId()) + ".json.tmp");
        try {
            Files.createDirectories(dir);
            byte[] bytes = JSON.writeValueAsBytes(run);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record run " + run.getRunId() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RetrainRun> find(String pipeline, String runId) {
        Path file = root.resolve(safeName(pipeline)).resolve(safeName(runId) + ".json");
        try {
            return Optional.of(JSON.readValue(file.toFile(), RetrainRun.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run record " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<RetrainRun> list(String pipeline) {
        Path dir = root.resolve(safeName(pipeline));
        List<RetrainRun> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                runs.add(JSON.readValue(file.toFile(), RetrainRun.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list runs in " + dir + ": " + e.getMessage(), e);
        }
        runs.sort(Comparator.comparing(RetrainRun::getCreatedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return runs;
    }

    /** Run ids and pipeline names are ours, but a file name is no place to trust that. */
    private static String safeName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not a safe run or pipeline name: '" + name + "'");
        }
        return name;
    }
}

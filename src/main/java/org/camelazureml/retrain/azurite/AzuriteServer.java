package org.camelazureml.retrain.azurite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azurite's blob service, started as a child process on a free loopback port for tests, the demo
 * and benchmarks.
 *
 * <p>Always started with {@code --blobHost 127.0.0.1 --disableTelemetry} (without the latter
 * Azurite tries to reach outside addresses), {@code --silent --skipApiVersionCheck}, and either a
 * data directory or {@code --inMemoryPersistence}. Its output goes to {@code azurite.log} in its own
 * temporary directory. {@link #close()} stops exactly the process this object started (and its
 * descendants) by PID; a JVM shutdown hook does the same if close is never called.
 *
 * <pre>{@code
 * try (AzuriteServer azurite = AzuriteServer.start()) {
 *     BlobServiceClient blobs = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
 * }
 * }</pre>
 */
public final class AzuriteServer implements AutoCloseable {

    public static final String ACCOUNT_NAME = "devstoreaccount1";
    /** Azurite's well-known development key (public, documented by Microsoft; not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Logger LOG = LoggerFactory.getLogger(AzuriteServer.class);
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 20;

    private final Process process;
    private final int port;
    private final Path tempDir;
    private final Path logFile;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private AzuriteServer(Process process, int port, Path tempDir, Path logFile) {
        this.process = process;
        this.port = port;
        this.tempDir = tempDir;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcessAndCleanUp, "azurite-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Azurite with a temporary data directory. */
    public static AzuriteServer start() {
        return start(AzuriteOptions.defaults());
    }

    public static AzuriteServer start(AzuriteOptions options) {
        return start(options, AzuriteBinaryLocator.fromEnvironment());
    }

    static AzuriteServer start(AzuriteOptions options, AzuriteBinaryLocator locator) {
        Path node = locator.node();
        Path blobBinary = locator.azuriteBlob();
        Path tempDir = createTempDir();
        try {
            Path dataDir = options.dataLocation() != null ? options.dataLocation() : tempDir.resolve("data");
            if (!options.inMemory()) {
                Files.createDirectories(dataDir);
            }
            Path logFile = tempDir.resolve("azurite.log");
            AzuriteNotAvailableException lastFailure = null;
            for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
                int port = freeLoopbackPort();
                List<String> command = command(node, blobBinary, port, dataDir, options);
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile()) // truncated per attempt: the tail shows this attempt only
                        .start();
                StartupResult result = awaitListening(process, port, options.startupTimeout(), logFile);
                if (result == StartupResult.LISTENING) {
                    LOG.info("Azurite blob service started on 127.0.0.1:{} (pid {}, log {})", port, process.pid(), logFile);
                    return new AzuriteServer(process, port, tempDir, logFile);
                }
                destroyTree(process);
                lastFailure = failure(result, port, options.startupTimeout(), logFile);
                if (result != StartupResult.PORT_TAKEN) {
                    break;
                }
                LOG.debug("Port {} was taken before Azurite could bind it; trying another", port);
            }
            throw lastFailure;
        } catch (IOException e) {
            deleteRecursively(tempDir);
            throw new AzuriteNotAvailableException("Could not start Azurite (" + blobBinary + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteRecursively(tempDir);
            throw e;
        }
    }

    /** {@code DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=...;} */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** {@code http://127.0.0.1:<port>/devstoreaccount1} */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT_NAME;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Azurite's own output (start-up messages, errors). */
    public Path logFile() {
        return logFile;
    }

    /** Stops the process this object started (by PID, with its descendants) and deletes its temporary directory. */
    @Override
    public void close() {
        stopProcessAndCleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing left to unregister
        }
    }

    private synchronized void stopProcessAndCleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        destroyTree(process);
        deleteRecursively(tempDir);
        LOG.info("Azurite blob service on port {} (pid {}) stopped", port, process.pid());
    }

    static List<String> command(Path node, Path blobBinary, int port, Path dataDir, AzuriteOptions options)
            throws IOException {
        List<String> command = new ArrayList<>();
        Path script = blobBinary.toRealPath();
        if (isNodeScript(script)) {
            command.add(node.toString());
        }
        command.add(script.toString());
        command.addAll(List.of("--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--disableTelemetry", "--silent", "--skipApiVersionCheck"));
        if (options.inMemory()) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", dataDir.toString()));
        }
        command.addAll(options.extraArgs());
        return command;
    }

    /** A .js file or a script whose shebang names node is run with our node; anything else is executed directly. */
    private static boolean isNodeScript(Path script) throws IOException {
        if (script.getFileName().toString().endsWith(".js")) {
            return true;
        }
        try (var lines = Files.lines(script, StandardCharsets.ISO_8859_1)) {
            return lines.findFirst().map(first -> first.startsWith("#!") && first.contains("node")).orElse(false);
        }
    }

    private enum StartupResult { LISTENING, PORT_TAKEN, EXITED, TIMED_OUT }

    private static StartupResult awaitListening(Process process, int port, Duration timeout, Path logFile)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return readTail(logFile).contains("EADDRINUSE") ? StartupResult.PORT_TAKEN : StartupResult.EXITED;
            }
            if (answers(port) && process.isAlive()) {
                return StartupResult.LISTENING;
            }
            try {
                // waits 50 ms, or less if the process exits meanwhile
                process.onExit().get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // poll again
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StartupResult.TIMED_OUT;
            }
        }
        return StartupResult.TIMED_OUT;
    }

    private static AzuriteNotAvailableException failure(StartupResult result, int port, Duration timeout, Path logFile) {
        String reason = switch (result) {
            case PORT_TAKEN -> "port " + port + " was taken by another process each time";
            case EXITED -> "the process exited before listening on port " + port;
            default -> "port " + port + " did not answer within " + timeout.toSeconds() + " s";
        };
        String tail;
        try {
            tail = readTail(logFile);
        } catch (IOException e) {
            tail = "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
        return new AzuriteNotAvailableException("Azurite did not start: " + reason + ". Last lines of its output:\n"
                + (tail.isBlank() ? "(none)" : tail));
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String readTail(Path logFile) throws IOException {
        if (!Files.exists(logFile)) {
            return "";
        }
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** Stops the process and everything it spawned: politely first, forcibly after a grace period. */
    private static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("azurite-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for Azurite", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete Azurite's temporary directory {}: {}", dir, e.getMessage());
        }
    }
}

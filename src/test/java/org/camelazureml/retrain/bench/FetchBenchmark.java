package org.camelazureml.retrain.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.models.ParallelTransferOptions;
import org.camelazureml.retrain.azurite.AzuriteOptions;
import org.camelazureml.retrain.azurite.AzuriteServer;
import org.camelazureml.retrain.emulator.EmulatorLauncher;

/**
 * Part a: a large {@code .ilearner} in Azurite (on-disk persistence), fetched by the pipeline's real fetch step in
 * its own JVM ({@link FetchOnce}, default heap and {@code -Xmx64m}) versus {@code curl} downloading the same blob
 * through a SAS URL to the same directory. Runs alternate ours and curl; the page cache is emptied before each
 * when the benchmark runs as root.
 *
 * <p>Arguments: {@code --size-mib 1024 --runs 5 --out bench/results/fetch.md --work-dir target/bench/fetch}
 */
public final class FetchBenchmark {

    private static final String BLOB = "models/bench/model.ilearner";
    private static final double MIB = 1024.0 * 1024.0;
    /** Pause after emptying the page cache, before each timed contender (BENCH_FETCH_SETTLE_MS, default 5000). */
    private static final long SETTLE_MILLIS = Long.parseLong(System.getenv().getOrDefault("BENCH_FETCH_SETTLE_MS", "5000"));

    record Sample(double seconds, long rssKib, long peakHeapBytes, double azuriteCpuSeconds) {
        double mibPerSecond(long bytes) {
            return bytes / MIB / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int sizeMib = Bench.intArg(args, "--size-mib", 1024);
        int runs = Bench.intArg(args, "--runs", 5);
        Path out = Path.of(Bench.arg(args, "--out", "bench/results/fetch.md"));
        Path work = Path.of(Bench.arg(args, "--work-dir", "target/bench/fetch")).toAbsolutePath();
        Files.createDirectories(work);
        System.exit(run(sizeMib, runs, out, work) ? 0 : 1);
    }

    /** Returns whether every fetch succeeded with the right SHA-256 (speed is reported, not asserted). */
    static boolean run(int sizeMib, int runs, Path out, Path work) throws Exception {
        long size = sizeMib * 1024L * 1024L;
        try (AzuriteServer azurite = AzuriteServer.start(AzuriteOptions.defaults().withDataLocation(
                Files.createDirectories(work.resolve("azurite"))));
             EmulatorLauncher.Running azureMl = EmulatorLauncher.start(EmulatorLauncher.Options.builder().build(),
                     azurite, b -> { })) {
            BlobClient blob = blobClient(azurite);
            String expectedSha = upload(blob, size);
            String sasUrl = blob.getBlobUrl() + "?" + blob.generateSas(new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plusHours(6), new BlobSasPermission().setReadPermission(true)));

            Map<String, String> properties = new LinkedHashMap<>(azureMl.properties());
            properties.put("retrain.data.dir", work.resolve("data").toString());
            properties.put("retrain.archive.dir", work.resolve("archive").toString());
            Path propertiesFile = work.resolve("fetch.properties");
            Bench.store(properties, propertiesFile);

            List<Sample> curl = new ArrayList<>();
            List<Sample> curlSync = new ArrayList<>();
            List<Sample> oursDefault = new ArrayList<>();
            List<Sample> ours64 = new ArrayList<>();
            List<Sample> oursWarm = new ArrayList<>();
            boolean allVerified = true;
            boolean dropped = false;
            for (int i = 1; i <= runs; i++) {
                List<Runnable> order = new ArrayList<>();
                Path curlFile = work.resolve("curl.ilearner");
                int run = i;
                boolean[] verified = {true};
                Runnable curlRun = () -> {
                    Sample[] s = curlOnce(sasUrl, curlFile, azurite.pid());
                    curl.add(s[0]);
                    curlSync.add(s[1]);
                    if (run == 1) {
                        verified[0] &= expectedSha.equals(sha256(curlFile));
                    }
                    deleteQuietly(curlFile);
                };
                Runnable oursRun = () -> oursDefault.add(oursOnce(propertiesFile, work, "run-" + run + "-default",
                        null, 0, expectedSha, size, azurite.pid(), verified));
                Runnable ours64Run = () -> ours64.add(oursOnce(propertiesFile, work, "run-" + run + "-xmx64m",
                        "-Xmx64m", 0, expectedSha, size, azurite.pid(), verified));
                Runnable oursWarmRun = () -> oursWarm.add(oursOnce(propertiesFile, work, "run-" + run + "-warm",
                        null, 1, expectedSha, size, azurite.pid(), verified));
                if (i % 2 == 1) {
                    order.addAll(List.of(curlRun, oursRun, ours64Run, oursWarmRun));
                } else {
                    order.addAll(List.of(oursWarmRun, ours64Run, oursRun, curlRun));
                }
                for (Runnable step : order) {
                    if (Bench.dropPageCache()) {
                        dropped = true;
                        // the same pause for every contender: on this VM, memory freed a moment ago is much cheaper
                        // to fill again than memory freed seconds ago, which favoured curl (it starts at once, our
                        // JVM boots first); see bench/notes/fetch.md
                        Thread.sleep(SETTLE_MILLIS);
                    }
                    step.run();
                }
                allVerified &= verified[0];
                System.err.printf("fetch run %d/%d: curl %.0f MiB/s, ours %.0f MiB/s, ours -Xmx64m %.0f MiB/s,"
                        + " ours warm %.0f MiB/s%n", i, runs, curl.get(i - 1).mibPerSecond(size),
                        oursDefault.get(i - 1).mibPerSecond(size), ours64.get(i - 1).mibPerSecond(size),
                        oursWarm.get(i - 1).mibPerSecond(size));
            }
            String section = section(sizeMib, size, runs, curl, curlSync, oursDefault, ours64, oursWarm, allVerified,
                    dropped);
            Bench.write(out, section);
            System.out.print(section);
            return allVerified;
        }
    }

    /** Streams deterministic pseudo-random bytes into the blob in blocks, never whole in memory; keeps its SHA-256. */
    private static BlobClient blobClient(AzuriteServer azurite) {
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .buildClient().getBlobContainerClient("models");
        container.createIfNotExists();
        return container.getBlobClient(BLOB.substring("models/".length()));
    }

    private static String upload(BlobClient blob, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long started = System.nanoTime();
        try (InputStream data = new DigestInputStream(new PseudoRandomStream(size, 42), sha)) {
            uploadInBlocks(blob, data);
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        System.err.printf("uploaded %d MiB to Azurite in %.1f s, sha256 %s%n", size >> 20,
                (System.nanoTime() - started) / 1e9, hex);
        return hex;
    }

    /** 8 MiB blocks, two in flight: the blob is never whole in memory. */
    static void uploadInBlocks(BlobClient blob, InputStream data) {
        blob.uploadWithResponse(new BlobParallelUploadOptions(data).setParallelTransferOptions(
                new ParallelTransferOptions().setBlockSizeLong(8L << 20).setMaxSingleUploadSizeLong(8L << 20)
                        .setMaxConcurrency(2)), null, null);
    }

    private static Sample[] curlOnce(String sasUrl, Path target, long azuritePid) {
        try {
            Path timeFile = target.resolveSibling("curl.time");
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/time"))) {
                command.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", timeFile.toString()));
            }
            command.addAll(List.of("curl", "-s", "-S", "-f", "-o", target.toString(), sasUrl));
            double cpuBefore = cpuSeconds(azuritePid);
            long started = System.nanoTime();
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (curl.waitFor() != 0) {
                throw new IllegalStateException("curl failed: " + output.replaceAll("sig=[^&\\s]+", "sig=***"));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double azuriteCpu = cpuSeconds(azuritePid) - cpuBefore;
            long syncStarted = System.nanoTime();
            new ProcessBuilder("sync", target.toString()).inheritIO().start().waitFor();
            double syncSeconds = (System.nanoTime() - syncStarted) / 1e9;
            long rss = Files.exists(timeFile) ? Long.parseLong(Files.readString(timeFile).trim()) : -1;
            return new Sample[] {new Sample(seconds, rss, 0, azuriteCpu),
                new Sample(seconds + syncSeconds, rss, 0, azuriteCpu)};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Sample oursOnce(Path propertiesFile, Path work, String runId, String heapOption, int warmups,
            String expectedSha,
            long size, long azuritePid, boolean[] verified) {
        try {
            List<String> command = new ArrayList<>(List.of(Bench.javaCommand()));
            if (heapOption != null) {
                command.add(heapOption);
            }
            command.addAll(List.of("-cp", Bench.classPath(), FetchOnce.class.getName(), propertiesFile.toString(),
                    BLOB, runId, String.valueOf(warmups)));
            Path log = work.resolve(runId + ".log");
            double cpuBefore = cpuSeconds(azuritePid);
            Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(30, TimeUnit.MINUTES) || child.exitValue() != 0) {
                verified[0] = false;
                throw new IllegalStateException("the fetch " + runId + " failed; see " + log);
            }
            double azuriteCpu = cpuSeconds(azuritePid) - cpuBefore; // includes the child's short setup calls
            Map<String, String> result = parseResult(output);
            boolean ok = expectedSha.equals(result.get("sha256")) && Long.parseLong(result.get("bytes")) == size;
            if (!ok) {
                verified[0] = false;
                System.err.println("fetch " + runId + " archived the wrong bytes: " + result);
            }
            deleteQuietly(Path.of(result.get("archive")));
            return new Sample(Long.parseLong(result.get("nanos")) / 1e9, Long.parseLong(result.get("vmHwmKib")),
                    Long.parseLong(result.get("peakHeapBytes")), azuriteCpu);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parseResult(String output) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String pair : line.substring(7).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    result.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("no RESULT line in: " + output);
        }
        return result;
    }

    /** CPU time of a process and its descendants so far (utime + stime from /proc), in seconds. */
    private static double cpuSeconds(long pid) {
        double total = 0;
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                // not Linux or the process is gone: no figure
            }
        }
        return total;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next run to overwrite
        }
    }

    private static String section(int sizeMib, long size, int runs, List<Sample> curl, List<Sample> curlSync,
            List<Sample> ours, List<Sample> ours64, List<Sample> oursWarm, boolean verified, boolean dropped) {
        double curlMibs = Bench.median(curl.stream().map(s -> s.mibPerSecond(size)).toList());
        double curlSyncMibs = Bench.median(curlSync.stream().map(s -> s.mibPerSecond(size)).toList());
        double oursMibs = Bench.median(ours.stream().map(s -> s.mibPerSecond(size)).toList());
        double ours64Mibs = Bench.median(ours64.stream().map(s -> s.mibPerSecond(size)).toList());
        double oursWarmMibs = Bench.median(oursWarm.stream().map(s -> s.mibPerSecond(size)).toList());
        double curlRss = Bench.median(curl.stream().map(Sample::rssKib).toList()) / 1024;
        double oursRss = Bench.median(ours.stream().map(Sample::rssKib).toList()) / 1024;
        double ours64Rss = Bench.median(ours64.stream().map(Sample::rssKib).toList()) / 1024;
        double oursHeap = Bench.median(ours.stream().map(Sample::peakHeapBytes).toList()) / MIB;
        double ours64Heap = Bench.median(ours64.stream().map(Sample::peakHeapBytes).toList()) / MIB;
        double curlAzuriteCpu = Bench.median(curl.stream().map(s -> s.azuriteCpuSeconds() / s.seconds()).toList());
        double oursAzuriteCpu = Bench.median(ours.stream().map(s -> s.azuriteCpuSeconds() / s.seconds()).toList());
        String sizeText = sizeMib >= 1024 && sizeMib % 1024 == 0 ? (sizeMib / 1024) + " GiB" : sizeMib + " MiB";

        StringBuilder md = new StringBuilder();
        md.append("## a. Model fetch: ").append(sizeText).append(" `.ilearner` from Azurite\n\n");
        md.append("Ours: the pipeline's real fetch step (the `fetchTrainedModel` bean of the route, camel-azure-storage-blob"
                + " `getBlob`) on a run record at step FETCH, in its own JVM, streaming the blob into the model archive with"
                + " SHA-256 on the way and forcing the file to disk; timed from the step's start to its end: the first fetch"
                + " of a fresh JVM (as in `--once`; the storage client prepared beforehand by `ModelStorage.prepare`, as the"
                + " start step does while the training job runs), and, as \"warm\", a fetch after one earlier fetch in the same JVM (as"
                + " in scheduled mode, where the process lives on). Reference: `curl -s"
                + " -o <same dir>/file '<SAS URL>'` for the same blob, timed from spawn to exit (and, in a second row, plus"
                + " `sync <file>` so it is on disk as ours is). One Azurite (on-disk persistence) holds the blob, uploaded"
                + " by streaming. Runs alternate curl / ours / ours `-Xmx64m` / ours warm (reversed every other run); ")
                .append(dropped ? "the page cache was emptied (`sync; echo 3 > /proc/sys/vm/drop_caches`), then " + SETTLE_MILLIS
                        + " ms passed, before each"
                        : "the page cache was **not** emptied (needs root); each run overwrote a deleted file")
                .append(". Every fetch of ours was checked against the blob's known SHA-256 (")
                .append(verified ? "all matched" : "**a mismatch or failure occurred**")
                .append("). Peak RSS: VmHWM of our JVM, `/usr/bin/time -f %M` of curl. Peak heap: the heap pools' peak"
                        + " usage during the fetch, summed (an upper bound). Medians of ").append(runs).append(" runs. ")
                .append(Bench.machineNote()).append("\n\n");
        md.append("Command: `bench/run fetch` (`BENCH_RUNS`, `BENCH_FETCH_MIB` to change runs and size)\n\n");
        md.append(Bench.tableHeader());
        md.append(Bench.row("throughput, default heap (MiB/s)", Bench.fmt(oursMibs, 0), Bench.fmt(curlMibs, 0) + " (curl)",
                Bench.fmt(oursMibs / curlMibs, 2), ">= 0.9", Bench.yesNo(oursMibs / curlMibs >= 0.9)));
        md.append(Bench.row("throughput, `-Xmx64m` (MiB/s)", Bench.fmt(ours64Mibs, 0), Bench.fmt(curlMibs, 0) + " (curl)",
                Bench.fmt(ours64Mibs / curlMibs, 2), ">= 0.9", Bench.yesNo(ours64Mibs / curlMibs >= 0.9)));
        md.append(Bench.row("throughput, warm JVM: second fetch in the process (MiB/s)", Bench.fmt(oursWarmMibs, 0),
                Bench.fmt(curlMibs, 0) + " (curl)", Bench.fmt(oursWarmMibs / curlMibs, 2), "(reported)", "-"));
        md.append(Bench.row("throughput vs curl + fsync (MiB/s)", Bench.fmt(oursMibs, 0),
                Bench.fmt(curlSyncMibs, 0) + " (curl, then `sync file`)", Bench.fmt(oursMibs / curlSyncMibs, 2),
                "(same bytes on disk)", "-"));
        md.append(Bench.row("fetch succeeds with `-Xmx64m`, SHA-256 verified", ours64.size() + "/" + runs, "-", "-",
                "all runs", Bench.yesNo(verified && ours64.size() == runs)));
        md.append(Bench.row("peak RSS, default heap (MiB)", Bench.fmt(oursRss, 0), Bench.fmt(curlRss, 0) + " (curl)",
                Bench.fmt(oursRss / curlRss, 1), "(reported)", "-"));
        md.append(Bench.row("peak RSS, `-Xmx64m` (MiB)", Bench.fmt(ours64Rss, 0), Bench.fmt(curlRss, 0) + " (curl)",
                Bench.fmt(ours64Rss / curlRss, 1), "(reported)", "-"));
        md.append(Bench.row("peak heap during the fetch (MiB)", Bench.fmt(oursHeap, 0) + " default, "
                + Bench.fmt(ours64Heap, 0) + " `-Xmx64m`", "-", "-", "no full buffering (<< " + sizeText + ")",
                Bench.yesNo(ours64Heap < 64)));
        md.append(Bench.row("Azurite CPU while serving (cores busy)", Bench.fmt(oursAzuriteCpu, 2),
                Bench.fmt(curlAzuriteCpu, 2) + " (curl)", "-", "(reported)", "-"));
        md.append('\n');
        return md.toString();
    }

    /** Deterministic pseudo-random bytes (incompressible, like a model), generated as read. */
    static final class PseudoRandomStream extends InputStream {
        private final SplittableRandom random;
        private long remaining;

        PseudoRandomStream(long size, long seed) {
            this.remaining = size;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining) & ~7;
            if (n == 0) {
                n = (int) Math.min(length, remaining);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = (byte) random.nextInt();
                }
            } else {
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[offset + i + b] = (byte) (v >>> (8 * b));
                    }
                }
            }
            remaining -= n;
            return n;
        }
    }

    private FetchBenchmark() {
    }
}

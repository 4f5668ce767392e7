package org.camelazureml.retrain.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import com.sun.net.httpserver.HttpServer;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.support.PipelineHarness;

/**
 * Part d: start-up. Ours: {@code java -jar target/camel-azureml-retrain.jar --once} against the emulator (already
 * running in this JVM), from process spawn to the emulator receiving the BES submit; and idle RSS of the scheduled
 * mode (first run a day away) a few seconds after it started. Reference: a bare camel-main application with a YAML
 * timer route ({@link BareTimerApp}, bench/reference/timer.camel.yaml, from the same jar), from spawn to its first
 * tick reaching a loopback listener here, and its idle RSS after the same wait. Runs alternate.
 *
 * <p>Both are measured a second time with a class data sharing archive of their own (AppCDS, README: Faster
 * start-up), so that the ratio compares like with like: ours trained as documented ({@code -XX:ArchiveClassesAtExit}
 * with {@code --cds-training}), the reference trained by one run to its first tick; then each started with
 * {@code -XX:SharedArchiveFile}. The reference runs from a jar of its own class ({@code bare-timer.jar} in the work
 * directory): an archive accepts jars only on the class path.
 *
 * <p>Arguments: {@code --runs 5 --jar target/camel-azureml-retrain.jar --idle-seconds 5 --out ... --work-dir ...}
 * {@code --jvm-options "-XX:TieredStopAtLevel=1"} adds JVM options to both applications.
 */
public final class StartupBenchmark {

    record Sample(double startMs, long idleRssKib) {
    }

    /** What one series adds to the java command line: nothing, or a class data sharing archive to use. */
    record Variant(List<String> options, boolean idleRss) {
        static Variant plain(List<String> options) {
            return new Variant(options, true);
        }

        static Variant archived(List<String> options, Path archive) {
            List<String> withArchive = new ArrayList<>(options);
            withArchive.add("-XX:SharedArchiveFile=" + archive);
            return new Variant(withArchive, false);
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = Bench.intArg(args, "--runs", 5);
        Path jar = Path.of(Bench.arg(args, "--jar", "target/camel-azureml-retrain.jar")).toAbsolutePath();
        int idleSeconds = Bench.intArg(args, "--idle-seconds", 5);
        Path out = Path.of(Bench.arg(args, "--out", "bench/results/startup.md"));
        Path work = Path.of(Bench.arg(args, "--work-dir", "target/bench/startup")).toAbsolutePath();
        String jvmOptions = Bench.arg(args, "--jvm-options", "");
        System.exit(run(runs, jar, idleSeconds, jvmOptions, out, work) ? 0 : 1);
    }

    /** Returns whether every start of ours submitted and every --once run succeeded (speed is not asserted). */
    static boolean run(int runs, Path jar, int idleSeconds, String jvmOptions, Path out, Path work) throws Exception {
        Files.createDirectories(work);
        Path routeFile = Path.of("bench/reference/timer.camel.yaml").toAbsolutePath();
        Path bareJar = bareTimerJar(work);
        List<String> options = jvmOptions.isBlank() ? List.of() : Arrays.asList(jvmOptions.trim().split("\\s+"));
        List<Sample> ours = new ArrayList<>();
        List<Sample> bare = new ArrayList<>();
        List<Sample> oursArchived = new ArrayList<>();
        List<Sample> bareArchived = new ArrayList<>();
        boolean allOk = true;
        BlockingQueue<Instant> ticks = new LinkedBlockingQueue<>();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/tick", exchange -> {
            ticks.add(Instant.now());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        listener.start();
        String tickUrl = "http://127.0.0.1:" + listener.getAddress().getPort() + "/tick";
        try (PipelineHarness harness = new PipelineHarness(work, emulator -> { })) {
            harness.with("retrain.poll.interval", "200ms");
            Path config = harness.writeProperties(work.resolve("startup.properties"));
            Path oursArchive = trainOurs(jar, options, work);
            Path bareArchive = trainBare(bareJar, jar, options, routeFile, tickUrl, ticks, work);
            Variant plain = Variant.plain(options);
            Variant oursWithArchive = Variant.archived(options, oursArchive);
            Variant bareWithArchive = Variant.archived(options, bareArchive);
            for (int i = 1; i <= runs; i++) {
                boolean[] ok = {true};
                List<Runnable> order = new ArrayList<>(List.of(
                        () -> ours.add(ours(jar, plain, config, harness, idleSeconds, work, ok)),
                        () -> bare.add(bare(bareJar, jar, plain, routeFile, tickUrl, ticks, idleSeconds, work, ok)),
                        () -> oursArchived.add(ours(jar, oursWithArchive, config, harness, idleSeconds, work, ok)),
                        () -> bareArchived.add(bare(bareJar, jar, bareWithArchive, routeFile, tickUrl, ticks,
                                idleSeconds, work, ok))));
                if (i % 2 == 0) {
                    Collections.reverse(order);
                }
                order.forEach(Runnable::run);
                allOk &= ok[0];
                System.err.printf("startup run %d/%d: ours %.0f ms (idle RSS %d MiB), bare camel-main %.0f ms (idle"
                        + " RSS %d MiB); each with its own archive: ours %.0f ms, bare %.0f ms%n", i, runs,
                        ours.get(i - 1).startMs(), ours.get(i - 1).idleRssKib() / 1024, bare.get(i - 1).startMs(),
                        bare.get(i - 1).idleRssKib() / 1024, oursArchived.get(i - 1).startMs(),
                        bareArchived.get(i - 1).startMs());
            }
        } finally {
            listener.stop(0);
        }
        String section = section(runs, idleSeconds, jvmOptions, ours, bare, oursArchived, bareArchived, allOk);
        Bench.write(out, section);
        System.out.print(section);
        return allOk;
    }

    /** Ours' archive, made as the README says: {@code --cds-training} under {@code -XX:ArchiveClassesAtExit}. */
    private static Path trainOurs(Path jar, List<String> options, Path work) throws IOException, InterruptedException {
        Path archive = freshArchive(work.resolve("ours.jsa"));
        List<String> command = javaJar(jar, withArchiveDump(options, archive));
        command.add("--cds-training");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("ours-cds-training.log").toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.exists(archive)) {
            process.destroyForcibly();
            throw new IllegalStateException("--cds-training failed; see " + work.resolve("ours-cds-training.log"));
        }
        return archive;
    }

    /** The reference's archive: one start to its first tick under {@code -XX:ArchiveClassesAtExit}, then SIGTERM. */
    private static Path trainBare(Path bareJar, Path jar, List<String> options, Path routeFile, String tickUrl,
            BlockingQueue<Instant> ticks, Path work) throws IOException, InterruptedException {
        Path archive = freshArchive(work.resolve("bare.jsa"));
        ticks.clear();
        Process process = new ProcessBuilder(bareCommand(bareJar, jar, withArchiveDump(options, archive), routeFile,
                tickUrl)).redirectErrorStream(true).redirectOutput(work.resolve("bare-cds-training.log").toFile())
                .start();
        Instant tick = ticks.poll(2, TimeUnit.MINUTES);
        process.destroy();
        if (tick == null || !process.waitFor(2, TimeUnit.MINUTES) || !Files.exists(archive)) {
            process.destroyForcibly();
            throw new IllegalStateException("the reference's archive was not written; see "
                    + work.resolve("bare-cds-training.log"));
        }
        return archive;
    }

    private static Path freshArchive(Path archive) throws IOException {
        Files.deleteIfExists(archive); // the JVM writes it read-only
        return archive;
    }

    private static List<String> withArchiveDump(List<String> options, Path archive) {
        List<String> dumping = new ArrayList<>(options);
        // -Xlog:cds=error: the classes an archive cannot hold (picocli's are Java 5 class files) are not news
        dumping.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error"));
        return dumping;
    }

    /** The reference's class alone in a jar: a class data sharing archive takes no directory on the class path. */
    private static Path bareTimerJar(Path work) throws IOException {
        String entry = BareTimerApp.class.getName().replace('.', '/') + ".class";
        Path jar = work.resolve("bare-timer.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(testClasses().resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }

    private static Sample ours(Path jar, Variant variant, Path config, PipelineHarness harness, int idleSeconds,
            Path work, boolean[] ok) {
        try {
            // 1. --once: spawn to the BES submit arriving at the emulator
            List<String> once = javaJar(jar, variant.options());
            once.addAll(List.of("--once", "--config", config.toString()));
            Instant spawned = Instant.now();
            Process process = new ProcessBuilder(once).redirectErrorStream(true)
                    .redirectOutput(work.resolve("ours-once.log").toFile()).start();
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            Instant submitted = harness.emulator().requests().stream()
                    .filter(r -> r.operation() == Operation.SUBMIT && !r.at().isBefore(spawned))
                    .map(RecordedRequest::at).min(Instant::compareTo).orElse(null);
            if (!exited || process.exitValue() != 0 || submitted == null) {
                process.destroyForcibly();
                ok[0] = false;
                System.err.println("--once did not succeed; see " + work.resolve("ours-once.log"));
            }
            double startMs = submitted == null ? Double.NaN : Duration.between(spawned, submitted).toNanos() / 1e6;
            if (!variant.idleRss()) {
                return new Sample(startMs, -1);
            }

            // 2. scheduled mode, first run a day away: RSS once started and idle
            List<String> scheduled = javaJar(jar, variant.options());
            scheduled.add(1, "-Dretrain.schedule.initial-delay=1d");
            scheduled.addAll(List.of("--config", config.toString()));
            Path log = work.resolve("ours-scheduled.log");
            Process idle = new ProcessBuilder(scheduled).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long rss = idleRss(idle, () -> Files.readString(log).contains(" started in "), idleSeconds);
            return new Sample(startMs, rss);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Sample bare(Path bareJar, Path jar, Variant variant, Path routeFile, String tickUrl,
            BlockingQueue<Instant> ticks, int idleSeconds, Path work, boolean[] ok) {
        try {
            ticks.clear();
            List<String> command = bareCommand(bareJar, jar, variant.options(), routeFile, tickUrl);
            Instant spawned = Instant.now();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("bare.log").toFile()).start();
            Instant tick = ticks.poll(2, TimeUnit.MINUTES);
            if (tick == null) {
                ok[0] = false;
                process.destroyForcibly();
                return new Sample(Double.NaN, -1);
            }
            long rss = idleRss(process, () -> true, variant.idleRss() ? idleSeconds : 0);
            return new Sample(Duration.between(spawned, tick).toNanos() / 1e6, variant.idleRss() ? rss : -1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    interface Check {
        boolean done() throws IOException;
    }

    /** Waits until the process has started, then idleSeconds; its VmRSS then; stops it (SIGTERM, then SIGKILL). */
    private static long idleRss(Process process, Check started, int idleSeconds) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!started.done() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(idleSeconds * 1000L);
        long rss = Bench.procStatusKib(process.pid(), "VmRSS");
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return rss;
    }

    private static List<String> bareCommand(Path bareJar, Path jar, List<String> options, Path routeFile,
            String tickUrl) {
        List<String> command = new ArrayList<>(List.of(Bench.javaCommand()));
        command.addAll(options);
        command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + bareJar, BareTimerApp.class.getName(),
                routeFile.toString(), tickUrl));
        return command;
    }

    private static List<String> javaJar(Path jar, List<String> options) {
        List<String> command = new ArrayList<>(List.of(Bench.javaCommand()));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static Path testClasses() {
        return Path.of("target/test-classes").toAbsolutePath();
    }

    private static String section(int runs, int idleSeconds, String jvmOptions, List<Sample> ours, List<Sample> bare,
            List<Sample> oursArchived, List<Sample> bareArchived, boolean allOk) {
        double oursMs = Bench.median(ours.stream().map(Sample::startMs).toList());
        double bareMs = Bench.median(bare.stream().map(Sample::startMs).toList());
        double oursArchivedMs = Bench.median(oursArchived.stream().map(Sample::startMs).toList());
        double bareArchivedMs = Bench.median(bareArchived.stream().map(Sample::startMs).toList());
        double oursRss = Bench.median(ours.stream().map(Sample::idleRssKib).toList()) / 1024;
        double bareRss = Bench.median(bare.stream().map(Sample::idleRssKib).toList()) / 1024;
        StringBuilder md = new StringBuilder();
        md.append("## d. Start-up: `--once` to the first BES submit, and idle RSS\n\n");
        md.append("Ours: `java ").append(jvmOptions.isBlank() ? "" : jvmOptions + " ")
                .append("-jar target/camel-azureml-retrain.jar --once --config <file>` against the emulator (running"
                        + " in the benchmark's JVM), from process spawn to the emulator receiving the BES submit; idle"
                        + " RSS: the same jar in scheduled mode (`-Dretrain.schedule.initial-delay=1d`), VmRSS ")
                .append(idleSeconds).append(" s after Camel reported it started. Reference: a bare camel-main"
                        + " application (`BareTimerApp`: `Main` + `bench/reference/timer.camel.yaml`, a timer route"
                        + " whose first tick calls a loopback listener of the benchmark), run from the same jar, from"
                        + " spawn to the first tick arriving; idle RSS ").append(idleSeconds)
                .append(" s after that tick. Both again, each with a class data sharing archive of its own (AppCDS,"
                        + " README: Faster start-up): ours made by `-XX:ArchiveClassesAtExit=ours.jsa -jar ..."
                        + " --cds-training`, the reference's by one start to its first tick under"
                        + " `-XX:ArchiveClassesAtExit`, then each started with `-XX:SharedArchiveFile`; the reference"
                        + " runs from a jar of its own class (an archive takes no directory on the class path). Runs"
                        + " alternate ours / reference; medians of ").append(runs)
                .append(" runs").append(allOk ? ", every `--once` run SUCCEEDED" : ", **a run failed**").append(". ")
                .append(Bench.machineNote()).append("\n\n");
        md.append("Command: `bench/run startup`\n\n");
        md.append(Bench.tableHeader());
        md.append(Bench.row("start to first submit / first tick (ms)", Bench.fmt(oursMs, 0),
                Bench.fmt(bareMs, 0) + " (bare camel-main)", Bench.fmt(oursMs / bareMs, 2),
                "<= 1500 ms and <= 1.3 x", Bench.yesNo(oursMs <= 1500 && oursMs / bareMs <= 1.3)));
        md.append(Bench.row("the same, each with its own class data sharing archive (ms)", Bench.fmt(oursArchivedMs, 0),
                Bench.fmt(bareArchivedMs, 0) + " (bare camel-main, its own archive)",
                Bench.fmt(oursArchivedMs / bareArchivedMs, 2), "<= 1500 ms and <= 1.3 x",
                Bench.yesNo(oursArchivedMs <= 1500 && oursArchivedMs / bareArchivedMs <= 1.3)));
        md.append(Bench.row("idle RSS (MiB)", Bench.fmt(oursRss, 0), Bench.fmt(bareRss, 0) + " (bare camel-main)",
                Bench.fmt(oursRss / bareRss, 2), "<= 1.3 x", Bench.yesNo(oursRss / bareRss <= 1.3)));
        md.append('\n');
        return md.toString();
    }

    private StartupBenchmark() {
    }
}

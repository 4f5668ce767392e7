package org.camelazureml.retrain.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Issue 4 (b) and (3): many runs in flight in one JVM. Starts {@link ScaleEmulator} (Azure ML emulator and Azurite)
 * in a process of its own, then, {@code runs} times in turn, {@link ScaleOurs} (one run of each of N pipelines
 * through the real routes) and {@link ScaleReference} (a thread-per-run blocking poller), each in a fresh JVM with
 * the same JVM options. While each runs, its {@code /proc/<pid>/status} is sampled every 100 ms (Threads, VmRSS);
 * VmHWM is read by the process itself at the end. The emulator's and Azurite's CPU time and the emulator's own
 * status-call latency are taken around each measured process, and every endpoint's served model is checked against
 * the run that put it there. The work directory (a temporary one: logs, run records) is deleted after a round set
 * in which every run was correct, kept otherwise or with {@code --keep true}.
 *
 * <pre>bench_java org.camelazureml.retrain.bench.ScaleBench --pipelines 1000 --job 30000 --poll 1000 --runs 5 --out bench/results/scale.md</pre>
 */
public final class ScaleBench {

    /** One measured process: ours or the reference, in one round. */
    public record Measure(String who, long wallMs, int runs, int succeeded, int endpointsOnOwnModel, long peakThreads,
                          int threadSamples, long vmHwmKb, long cpuMs, long statusCalls, long statusP50us,
                          long statusP99us, long emulatorCpuMs, long azuriteCpuMs, long emulatorStatusCalls,
                          long emulatorStatusP50us, long emulatorStatusP99us, long emulatorStatusMaxUs,
                          long jobsEnded, long jobLagP50ms, long jobLagMaxMs, long jvmPeakThreads, long windowCpuMs,
                          String threadCensus, double loadAverage, long lastJobStartedMs, long tailP50Ms,
                          long pollsP50) {
    }

    /**
     * {@code warmUpPipelines}: runs of the reference sent through the fresh emulator (and Azurite) before the first
     * round, not measured, so that the first measured process does not pay for the far side's own JIT warm-up
     * (measured: the emulator spent 31.7 s of CPU during ours in a first round against 12.7 s during the reference
     * right after it, mostly its training code running interpreted).
     */
    public record Options(int pipelines, long jobMillis, long pollMillis, int runs, List<String> jvmOptions,
                          Path workDir, int warmUpPipelines) {
        public Options(int pipelines, long jobMillis, long pollMillis, int runs, List<String> jvmOptions, Path workDir) {
            this(pipelines, jobMillis, pollMillis, runs, jvmOptions, workDir, Math.min(pipelines, 200));
        }

        public double targetWallMs() {
            return 1.1 * (jobMillis + pollMillis);
        }
    }

    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            given.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path work = Files.createTempDirectory("bench-scale-");
        Options options = new Options(Integer.parseInt(given.getOrDefault("pipelines", "1000")),
                Long.parseLong(given.getOrDefault("job", "30000")), Long.parseLong(given.getOrDefault("poll", "1000")),
                Integer.parseInt(given.getOrDefault("runs", "5")),
                List.of(given.getOrDefault("jvm", "-Xmx256m -Dreactor.netty.ioWorkerCount=2").trim().split("\\s+")), work,
                Integer.parseInt(given.getOrDefault("warm-up", String.valueOf(Math.min(200,
                        Integer.parseInt(given.getOrDefault("pipelines", "1000")))))));
        // --measures <bench log>: the report again from the Measure lines an earlier run logged, no new measurement
        List<Measure[]> rounds = given.containsKey("measures") ? fromLog(Path.of(given.get("measures"))) : run(options);
        String markdown = ScaleReport.markdown(options, rounds, given.getOrDefault("command", ""));
        Path out = Path.of(given.getOrDefault("out", "bench/results/scale.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.print(markdown);
        // a round with a failed run keeps its logs and run records for a look; a clean one leaves nothing behind
        boolean allCorrect = rounds.stream().allMatch(round -> round[0].succeeded() == round[0].runs()
                && round[1].succeeded() == round[1].runs());
        if (allCorrect && !given.containsKey("keep")) {
            org.apache.commons.io.file.PathUtils.deleteDirectory(work);
        } else {
            log("logs and run records kept in " + work);
        }
    }

    /** The rounds an earlier run logged ({@code [bench scale]   Measure[...]} lines, ours then reference). */
    static List<Measure[]> fromLog(Path log) throws IOException {
        List<Measure> measures = new ArrayList<>();
        var components = Measure.class.getRecordComponents();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("Measure[");
            if (at < 0) {
                continue;
            }
            String text = line.substring(at + "Measure[".length(), line.lastIndexOf(']'));
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName() + "=";
                types[i] = components[i].getType();
                int from = text.indexOf(", " + name);
                if (from < 0 && !text.startsWith(name)) {
                    // logged before this figure was measured
                    values[i] = types[i] == long.class ? -1L : types[i] == int.class ? (Object) (-1) : types[i] == double.class
                            ? (Object) (-1.0) : "";
                    continue;
                }
                from = from < 0 ? name.length() : from + 2 + name.length();
                int to = text.length();
                for (int j = i + 1; j < components.length; j++) {
                    int next = text.indexOf(", " + components[j].getName() + "=", from);
                    if (next >= 0) {
                        to = Math.min(to, next);
                    }
                }
                String value = text.substring(from, to);
                values[i] = types[i] == long.class ? Long.parseLong(value) : types[i] == int.class ? Integer.parseInt(value)
                        : types[i] == double.class ? Double.parseDouble(value) : value;
            }
            try {
                measures.add(Measure.class.getDeclaredConstructor(types).newInstance(values));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        List<Measure[]> rounds = new ArrayList<>();
        for (int i = 0; i + 1 < measures.size(); i += 2) {
            rounds.add(new Measure[] {measures.get(i), measures.get(i + 1)});
        }
        return rounds;
    }

    /** Each round: {ours, reference}. */
    public static List<Measure[]> run(Options options) throws Exception {
        Files.createDirectories(options.workDir());
        Path properties = options.workDir().resolve("pipelines.properties");
        List<Measure[]> rounds = new ArrayList<>();
        // The far side (the emulator, with Azurite in a process of its own) compiles with C1 only: its C2 compiler
        // threads were half of its CPU time, on the 2 cores it shares with the measured process (a real service runs
        // on its own machines). Both measured sides get the same emulator. -Dbench.scale.emulator.jvm replaces this.
        List<String> emulatorJvm = extraJvmOptions("emulator").isEmpty() ? List.of("-XX:TieredStopAtLevel=1")
                : extraJvmOptions("emulator");
        try (Child emulator = Child.start(options, "emulator", ScaleEmulator.class, emulatorJvm,
                String.valueOf(options.pipelines()), String.valueOf(options.jobMillis()),
                String.valueOf(options.pollMillis()), properties.toString())) {
            String[] ready = emulator.awaitLine(line -> line.startsWith("READY ") ? line : null, 300).split(" ");
            long azuritePid = Long.parseLong(ready[2]);
            if (options.warmUpPipelines() > 0) {
                log("warm-up of the emulator and Azurite (not measured): the reference with " + options.warmUpPipelines()
                        + " pipelines");
                Measure warmUp = measure(options, emulator, azuritePid, "warm-up", ScaleReference.class,
                        properties.toString(), String.valueOf(options.warmUpPipelines()), String.valueOf(options.pollMillis()));
                log("  warm-up: " + warmUp.succeeded() + " of " + options.warmUpPipelines() + " runs patched their endpoint"
                        + " in " + warmUp.wallMs() + " ms; emulator CPU " + warmUp.emulatorCpuMs() + " ms");
            }
            for (int round = 1; round <= options.runs(); round++) {
                log("round " + round + "/" + options.runs() + ": ours (" + options.pipelines() + " pipelines)");
                Measure ours = measure(options, emulator, azuritePid, "ours", ScaleOurs.class,
                        properties.toString(), String.valueOf(options.pipelines()),
                        options.workDir().resolve("data-" + round).toString());
                log("  " + ours);
                log("round " + round + "/" + options.runs() + ": reference");
                Measure reference = measure(options, emulator, azuritePid, "reference", ScaleReference.class,
                        properties.toString(), String.valueOf(options.pipelines()), String.valueOf(options.pollMillis()));
                log("  " + reference);
                rounds.add(new Measure[] {ours, reference});
            }
            emulator.send("QUIT");
        }
        return rounds;
    }

    private static Measure measure(Options options, Child emulator, long azuritePid, String who, Class<?> main,
                                   String... args) throws Exception {
        emulator.send("MARK");
        emulator.awaitLine(line -> line.equals("OK") ? line : null, 30);
        long emulatorCpu = Stats.cpuMillis(emulator.pid());
        long azuriteCpu = Stats.treeCpuMillis(azuritePid);
        Map<String, String> result;
        Map<String, String> runs = new LinkedHashMap<>();
        String[] census = {""};
        Sampler sampler;
        List<String> jvm = new ArrayList<>(options.jvmOptions());
        jvm.addAll(extraJvmOptions(who));
        try (Child child = Child.start(options, who, main, jvm, args)) {
            sampler = new Sampler(child.pid());
            sampler.start();
            String line = child.awaitLine(text -> {
                if (text.startsWith("RUN ")) {
                    String[] parts = text.split(" ");
                    runs.put(parts[1], parts[2] + " " + parts[3]);
                } else if (text.startsWith("FAILURE ")) {
                    log("  " + who + ": " + text);
                } else if (text.startsWith("CENSUS ")) {
                    census[0] = text.substring("CENSUS ".length());
                }
                return text.startsWith("RESULT ") ? text : null;
            }, 900);
            result = parse(line);
            if (who.equals("ours")) {
                census[0] = child.awaitLine(text -> text.startsWith("CENSUS ") ? text.substring(7) : null, 60);
            }
            sampler.stop();
        }
        // how busy the machine was (the 1-minute load average as the measured process ended; 2 cores)
        double loadAverage = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        emulatorCpu = Stats.cpuMillis(emulator.pid()) - emulatorCpu;
        azuriteCpu = Stats.treeCpuMillis(azuritePid) - azuriteCpu;
        emulator.send("STATS");
        String[] stats = emulator.awaitLine(line -> line.startsWith("STATS ") ? line : null, 30).split(" ");
        int onOwnModel = who.equals("ours") ? endpointsOnOwnModel(emulator, runs) : -1;
        return new Measure(who, num(result, "wallMs"), options.pipelines(), (int) num(result, "succeeded"), onOwnModel,
                sampler.peakThreads, sampler.samples, num(result, "vmHwmKb"), sampler.cpuMs, num(result, "statusCalls"),
                num(result, "statusP50us"), num(result, "statusP99us"), emulatorCpu, azuriteCpu,
                Long.parseLong(stats[1]), Long.parseLong(stats[2]), Long.parseLong(stats[3]), Long.parseLong(stats[4]),
                Long.parseLong(stats[6]), Long.parseLong(stats[7]), Long.parseLong(stats[8]),
                result.containsKey("peakThreads") ? num(result, "peakThreads") : -1, num(result, "windowCpuMs"),
                census[0], loadAverage, optional(result, "lastJobStartedMs"), optional(result, "tailP50Ms"),
                optional(result, "pollsP50"));
    }

    /**
     * Extra JVM options for one process only (ours, reference, warm-up or emulator), e.g. a flight recording:
     * {@code -Dbench.scale.ours.jvm="-XX:StartFlightRecording=..."}.
     */
    private static List<String> extraJvmOptions(String who) {
        String extra = System.getProperty("bench.scale." + who + ".jvm", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

        /** Endpoints whose served model has the SHA-256 the pipeline's run archived, its run having SUCCEEDED. */
    private static int endpointsOnOwnModel(Child emulator, Map<String, String> runs) throws Exception {
        emulator.send("SERVED");
        Map<String, String> served = new HashMap<>();
        emulator.awaitLine(line -> {
            if (line.equals("END")) {
                return line;
            }
            String[] parts = line.split(" ");
            served.put(parts[0], parts[1]);
            return null;
        }, 60);
        int ok = 0;
        for (Map.Entry<String, String> run : runs.entrySet()) {
            String[] outcome = run.getValue().split(" ");
            String endpoint = "ep" + run.getKey().substring(1);
            if (outcome[0].equals("SUCCEEDED") && outcome[1].equals(served.get(endpoint))) {
                ok++;
            }
        }
        return ok;
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring("RESULT ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    /** -1 where the measured process does not give it (the reference keeps no run records). */
    private static long optional(Map<String, String> values, String key) {
        return values.containsKey(key) ? num(values, key) : -1;
    }

    private static long num(Map<String, String> values, String key) {
        return Long.parseLong(values.get(key));
    }

    static void log(String message) {
        System.err.println("[bench scale] " + message);
    }

    /** Samples a process's live threads every 100 ms, and its CPU time. */
    private static final class Sampler {
        private final long pid;
        private final Thread thread;
        private volatile boolean running = true;
        volatile long peakThreads;
        volatile int samples;
        volatile long cpuMs;

        Sampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::loop, "bench-sampler");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running) {
                long threads = Stats.procStatus(pid, "Threads");
                long cpu = Stats.cpuMillis(pid);
                if (threads > 0) {
                    peakThreads = Math.max(peakThreads, threads);
                    samples++;
                }
                if (cpu >= 0) {
                    cpuMs = cpu;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }

    /** A child JVM on this JVM's class path; stdout read line by line, stderr to a log file in the work directory. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        static Child start(Options options, String name, Class<?> main, List<String> jvmOptions, String... args)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.addAll(List.of(args));
            Path log = options.workDir().resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new Child(process);
        }

        long pid() {
            return process.pid();
        }

        void send(String line) {
            in.println(line);
        }

        /** Reads lines until {@code match} returns non-null; fails when the process ends first or time is up. */
        String awaitLine(Function<String, String> match, long timeoutSeconds) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            String line;
            while ((line = out.readLine()) != null) {
                String found = match.apply(line);
                if (found != null) {
                    return found;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out waiting for pid " + pid());
                }
            }
            throw new IllegalStateException("process " + pid() + " ended (exit " + waitExit() + ") without answering;"
                    + " see its log");
        }

        private int waitExit() {
            try {
                return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void close() {
            in.close();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

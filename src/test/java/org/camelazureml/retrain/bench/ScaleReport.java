package org.camelazureml.retrain.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.camelazureml.retrain.bench.ScaleBench.Measure;
import org.camelazureml.retrain.bench.ScaleBench.Options;

/** The scale benchmark's section of bench/RESULTS.md: medians over the rounds, ours beside the reference. */
final class ScaleReport {

    /** The measurement before the changes it describes (commit 7e9e1e6, same command, 2 rounds). */
    private ScaleReport() {
    }

    static String markdown(Options options, List<Measure[]> rounds, String command) {
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder md = new StringBuilder();
        md.append("## Scale: ").append(options.pipelines()).append(" runs in flight in one JVM (issue 4 b, 3)\n\n");
        md.append("What: ").append(options.pipelines()).append(" named pipelines (`retrain.pipelines.pNNNN.*`, each its own"
                + " route from the `retrain-pipeline` template, each on its own scoring endpoint) in one JVM running the"
                + " packaged application and route file; one run of every pipeline is sent into"
                + " `direct:retrain-pNNNN` at once. Each emulated training job takes ").append(seconds(options.jobMillis()))
                .append(", the poll interval is ").append(seconds(options.pollMillis())).append(". The reference, in the same"
                + " round against the same emulator, is a plain thread-per-run blocking poller (`ScaleReference`: one platform"
                + " thread per run: submit, start, `GET` status then `sleep` until Finished, `PATCH`; one"
                + " `java.net.http.HttpClient`, synchronous sends; no run records and no model fetch, so it does less work"
                + " than a pipeline run). The Azure ML emulator and Azurite run in a process of their own (`ScaleEmulator`),"
                + " so the threads and memory below are the measured process's alone.\n\n");
        md.append("How: the emulator's JVM compiles with C1 only (its C2 compiler threads otherwise took half its CPU"
                + " time, on the cores it shares with the measured process; a real service runs on its own machines). ");
        if (options.warmUpPipelines() > 0) {
            md.append("Before the first round, the reference sends ").append(options.warmUpPipelines())
                    .append(" runs through the freshly started emulator and Azurite, not measured, so that neither side"
                            + " pays for the far side's JIT warm-up; then ");
        }
        md.append(options.warmUpPipelines() > 0 ? "each" : "Each")
                .append(" round starts a fresh JVM for ours, then one for the reference (JVM options `")
                .append(String.join(" ", options.jvmOptions())).append("` for both). `/proc/<pid>/status` `Threads` is"
                + " sampled every 100 ms for the whole life of the process (start-up included); peak RSS is `VmHWM`, read by"
                + " the process when its last run completed. Wall time runs from the first trigger to the last completion."
                + " Ours is correct when every run ended SUCCEEDED and every endpoint serves (SHA-256, read from the"
                + " emulator) the model its own pipeline's run archived. Medians of ").append(rounds.size())
                .append(" rounds.\n\n");
        if (!command.isBlank()) {
            md.append("Command: `").append(command).append("`\n\n");
        }
        double target = options.targetWallMs();
        md.append("| figure | ours | reference | ours / reference | target (ours) | met? |\n|---|---|---|---|---|---|\n");
        row(md, "wall time, first trigger to last completion", rounds, Measure::wallMs, 1000, "%.1f s",
                "<= 1.1 x (job + poll) = " + String.format(Locale.ROOT, "%.1f s", target / 1000),
                median(rounds, 0, Measure::wallMs) <= target);
        md.append("| runs correct (all rounds) | ").append(correct(rounds, true)).append(" | ").append(correct(rounds, false))
                .append(" | | all | ").append(allCorrect(rounds) ? "yes" : "NO").append(" |\n");
        row(md, "peak live threads (`Threads`, 100 ms samples)", rounds, Measure::peakThreads, 1, "%.0f", "<= 64",
                max(rounds, 0, Measure::peakThreads) <= 64);
        row(md, "peak RSS (`VmHWM`)", rounds, Measure::vmHwmKb, 1024, "%.0f MiB", "<= 512 MiB",
                max(rounds, 0, Measure::vmHwmKb) <= 512 * 1024);
        row(md, "CPU time from first trigger to last completion", rounds, Measure::windowCpuMs, 1000, "%.1f s", "", null);
        row(md, "CPU time of the process, start-up included", rounds, Measure::cpuMs, 1000, "%.1f s", "", null);
        row(md, "status call, p50 as the caller sees it", rounds, Measure::statusP50us, 1000, "%.1f ms", "", null);
        row(md, "status call, p99 as the caller sees it", rounds, Measure::statusP99us, 1000, "%.1f ms", "", null);
        md.append("\nThe met? column of threads and RSS uses the worst round, the wall time the median.\n\n");
        if (!allCorrect(rounds)) {
            md.append("Not every run succeeded: a run ended FAILED or a PATCH was refused (the bench log's FAILURE lines,"
                    + " and the logs and run records in the work directory the bench log names, say which).\n\n");
        }
        Measure worst = rounds.stream().map(round -> round[0]).max(java.util.Comparator.comparingLong(Measure::peakThreads))
                .orElseThrow();
        md.append("Ours' threads at the highest count seen inside the run window (every thread of the process by name,"
                + " digits as #; `Camel` holds the `retrain.node.worker-threads` pool, 16 by default): ")
                .append(worst.threadCensus()).append("\n\n");
        double callsPerSecond = median(rounds, 0, m -> m.wallMs() <= 0 ? 0 : m.statusCalls() * 1000.0 / m.wallMs());
        double busy = callsPerSecond * median(rounds, 0, Measure::statusP50us) / 1_000_000;
        md.append(String.format(Locale.ROOT, "Synchronous HTTP client (camel-http) on a bounded pool: ours made %.0f"
                + " status calls a second (polling every run on time would take about %.0f) at a median %.1f ms each as"
                + " the caller saw it, which keeps %.1f pool threads busy on average; the wait between polls holds none."
                + " An asynchronous client would save those threads but not the thread count that matters here (the pool"
                + " is fixed), so the pool's size, not the client, bounds the threads. CPU time per status call"
                + " (everything ours did in the window, divided by its status calls): ours %.1f ms, reference %.1f ms.\n\n",
                callsPerSecond, options.pipelines() * 1000.0 / options.pollMillis(),
                median(rounds, 0, Measure::statusP50us) / 1000, busy,
                median(rounds, 0, m -> m.statusCalls() == 0 ? 0 : (double) m.windowCpuMs() / m.statusCalls()),
                median(rounds, 1, m -> m.statusCalls() == 0 ? 0 : (double) m.windowCpuMs() / m.statusCalls())));

        double lastStart = median(rounds, 0, Measure::lastJobStartedMs);
        double tail = median(rounds, 0, Measure::tailP50Ms);
        if (lastStart >= 0) {
            md.append(String.format(Locale.ROOT, "Where ours' wall time went (run records, medians of the rounds): the"
                        + " last run had its training job started %.1f s after the first trigger (every run's create,"
                        + " submit and start, %d at once, on the worker pool (`retrain.node.worker-threads`), ahead of the polls already due: the pool"
                        + " runs its tasks in the order they fell due), a run made %.0f status calls (about %.0f when"
                        + " polled on time), and from the poll that saw Finished to the run's end (model fetch, quality gate,"
                        + " update, records) took %.1f s at the median. The machine's load average was %.1f to %.1f"
                        + " (2 cores; the benchmark's own processes included) as ours' rounds ended, %.1f to %.1f as the reference's did.\n\n",
                lastStart / 1000, options.pipelines(), median(rounds, 0, Measure::pollsP50),
                (double) options.jobMillis() / options.pollMillis(), tail / 1000,
                min(rounds, 0, Measure::loadAverage), max(rounds, 0, Measure::loadAverage),
                min(rounds, 1, Measure::loadAverage), max(rounds, 1, Measure::loadAverage)));
        }
        md.append("### The emulator's own overhead (issue 4, 3)\n\n");
        md.append("Measured around each process above: CPU time of the emulator JVM and of Azurite (node) from"
                + " `/proc/<pid>/stat`, their share of the machine during the wall time (").append(cores)
                .append(" cores), and the status calls' latency as the emulator sees it (arrival to answer ready).\n\n");
        md.append("| figure | during ours | during reference |\n|---|---|---|\n");
        pair(md, "emulator CPU time", rounds, Measure::emulatorCpuMs, 1000, "%.1f s");
        pairShare(md, "emulator CPU share of the machine", rounds, Measure::emulatorCpuMs, cores);
        pair(md, "Azurite CPU time", rounds, Measure::azuriteCpuMs, 1000, "%.1f s");
        pairShare(md, "Azurite CPU share of the machine", rounds, Measure::azuriteCpuMs, cores);
        pair(md, "status calls answered", rounds, Measure::emulatorStatusCalls, 1, "%.0f");
        pair(md, "status call p50 in the emulator", rounds, Measure::emulatorStatusP50us, 1000, "%.2f ms");
        pair(md, "status call p99 in the emulator", rounds, Measure::emulatorStatusP99us, 1000, "%.2f ms");
        pair(md, "status call max in the emulator", rounds, Measure::emulatorStatusMaxUs, 1000, "%.2f ms");
        pair(md, "jobs ended in the window", rounds, Measure::jobsEnded, 1, "%.0f");
        pair(md, "job end past its 'job time', p50 (training, output writes)", rounds, Measure::jobLagP50ms, 1000, "%.2f s");
        pair(md, "job end past its 'job time', max", rounds, Measure::jobLagMaxMs, 1000, "%.2f s");
        double ideal = options.jobMillis() + options.pollMillis();
        double oursWall = median(rounds, 0, Measure::wallMs);
        double lagOurs = median(rounds, 0, Measure::jobLagP50ms);
        double lagReference = median(rounds, 1, Measure::jobLagP50ms);
        boolean emulatorBound = lagOurs > 0.1 * options.jobMillis() || lagReference > 0.1 * options.jobMillis();
        md.append(String.format(Locale.ROOT, "\nIdeal wall time: job time plus at most one poll interval, %.1f s. Ours"
                        + " took %.1f s, %.1f s beyond it; the emulator ended its jobs a median %.1f s after their job time"
                        + " during ours and %.1f s during the reference (it trains when a job starts running and writes the"
                        + " outputs in the job's last quarter, so a late end is its workers or Azurite falling behind), while"
                        + " it answered status calls in %.2f ms p99. ",
                ideal / 1000, oursWall / 1000, (oursWall - ideal) / 1000, lagOurs / 1000, lagReference / 1000,
                median(rounds, 0, Measure::emulatorStatusP99us) / 1000));
        md.append(emulatorBound
                ? "So in this run the emulator's job completion delayed the runs by more than a tenth of the job time:"
                        + " that part of each wall time is the emulator's, the rest of ours' excess is the pipeline's own.\n"
                : "Its job completion stayed within a tenth of the job time: the emulator was not the bottleneck.\n");
        md.append("\nEvery round (load: the machine's 1-minute load average when that process ended):\n\n| round | who |"
                + " wall | correct | peak threads | VmHWM | CPU | status p50 / p99 (caller) | emulator CPU | Azurite CPU |"
                + " emulator status p50 / p99 | load |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int r = 0; r < rounds.size(); r++) {
            for (Measure m : rounds.get(r)) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %.1f s | %s | %d | %d MiB | %.1f s | %.1f / %.1f ms |"
                                + " %.1f s | %.1f s | %.2f / %.2f ms | %.1f |\n", r + 1, m.who(), m.wallMs() / 1000.0,
                        correctOf(m), m.peakThreads(), m.vmHwmKb() / 1024, m.cpuMs() / 1000.0, m.statusP50us() / 1000.0,
                        m.statusP99us() / 1000.0, m.emulatorCpuMs() / 1000.0, m.azuriteCpuMs() / 1000.0,
                        m.emulatorStatusP50us() / 1000.0, m.emulatorStatusP99us() / 1000.0, m.loadAverage()));
            }
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, List<Measure[]> rounds, ToDoubleFunction<Measure> value,
                            double unit, String format, String target, Boolean met) {
        double ours = median(rounds, 0, value) / unit;
        double reference = median(rounds, 1, value) / unit;
        md.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, format, ours)).append(" | ")
                .append(String.format(Locale.ROOT, format, reference)).append(" | ")
                .append(reference == 0 ? "" : String.format(Locale.ROOT, "%.2f", ours / reference)).append(" | ")
                .append(target).append(" | ").append(met == null ? "" : met ? "yes" : "NO").append(" |\n");
    }

    private static void pair(StringBuilder md, String name, List<Measure[]> rounds, ToDoubleFunction<Measure> value,
                             double unit, String format) {
        md.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, format, median(rounds, 0, value) / unit))
                .append(" | ").append(String.format(Locale.ROOT, format, median(rounds, 1, value) / unit)).append(" |\n");
    }

    private static void pairShare(StringBuilder md, String name, List<Measure[]> rounds, ToDoubleFunction<Measure> cpu,
                                  int cores) {
        ToDoubleFunction<Measure> share = m -> m.wallMs() <= 0 ? 0 : 100.0 * cpu.applyAsDouble(m) / (m.wallMs() * cores);
        pair(md, name, rounds, share, 1, "%.1f %%");
    }

    static double median(List<Measure[]> rounds, int who, ToDoubleFunction<Measure> value) {
        List<Double> values = new ArrayList<>();
        rounds.forEach(round -> values.add(value.applyAsDouble(round[who])));
        return Stats.median(values);
    }

    private static double min(List<Measure[]> rounds, int who, ToDoubleFunction<Measure> value) {
        return rounds.stream().mapToDouble(round -> value.applyAsDouble(round[who])).min().orElse(Double.NaN);
    }

    private static double max(List<Measure[]> rounds, int who, ToDoubleFunction<Measure> value) {
        return rounds.stream().mapToDouble(round -> value.applyAsDouble(round[who])).max().orElse(Double.NaN);
    }

    private static String correct(List<Measure[]> rounds, boolean ours) {
        int worst = Integer.MAX_VALUE;
        int runs = 0;
        for (Measure[] round : rounds) {
            Measure m = round[ours ? 0 : 1];
            worst = Math.min(worst, ours ? Math.min(m.succeeded(), m.endpointsOnOwnModel()) : m.succeeded());
            runs = m.runs();
        }
        return worst + " / " + runs;
    }

    private static String correctOf(Measure m) {
        return m.endpointsOnOwnModel() < 0 ? m.succeeded() + " / " + m.runs() + " patched"
                : m.succeeded() + " SUCCEEDED, " + m.endpointsOnOwnModel() + " on own model / " + m.runs();
    }

    static boolean allCorrect(List<Measure[]> rounds) {
        return rounds.stream().allMatch(round -> round[0].succeeded() == round[0].runs()
                && round[0].endpointsOnOwnModel() == round[0].runs() && round[1].succeeded() == round[1].runs());
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}

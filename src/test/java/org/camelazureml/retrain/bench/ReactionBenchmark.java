package org.camelazureml.retrain.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.camelazureml.retrain.RetrainPipeline;
import org.camelazureml.retrain.azureml.AzureMlClient;
import org.camelazureml.retrain.azureml.BatchJobRequest;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.JobStatus;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.emulator.JobSnapshot;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.steps.PipelineResources;
import org.camelazureml.retrain.support.PipelineHarness;
import org.camelazureml.retrain.support.TestAzureMl;

/**
 * Part c: reaction time, from the training job turning Finished in the emulator to the emulator receiving the
 * UpdateResource PATCH, minus the fetch (the run record's FETCH step). Ours: full {@code --once} runs of the packaged
 * route (the runtime in this JVM). Reference, alternating with ours against the same emulator: a plain blocking loop
 * like Microsoft's BES sample ({@code while (true) { sleep(interval); GET status }}), from Finished to its status
 * answer that says so. Every time comes from the emulator's clock (job snapshot, request log) except the reference
 * loop's own moment of seeing Finished (same JVM clock).
 *
 * <p>Arguments: {@code --runs 10 --job-ms 2000 --poll-ms 1000 --out bench/results/reaction.md --work-dir DIR}
 */
public final class ReactionBenchmark {

    record Sample(double reactionMs, double detectionMs, double fetchMs) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Bench.intArg(args, "--runs", 10);
        int jobMs = Bench.intArg(args, "--job-ms", 2000);
        int pollMs = Bench.intArg(args, "--poll-ms", 1000);
        Path out = Path.of(Bench.arg(args, "--out", "bench/results/reaction.md"));
        Path work = Path.of(Bench.arg(args, "--work-dir", "target/bench/reaction")).toAbsolutePath();
        boolean ok = run(runs, jobMs, pollMs, out, work);
        System.exit(ok ? 0 : 1);
    }

    /** Returns whether every run of ours SUCCEEDED with a PATCH after Finished (speed is reported, not asserted). */
    static boolean run(int runs, int jobMs, int pollMs, Path out, Path work) throws Exception {
        Files.createDirectories(work);
        List<Sample> ours = new ArrayList<>();
        List<Sample> reference = new ArrayList<>();
        boolean allSucceeded = true;
        Random phases = new Random(7);
        for (int i = 1; i <= runs; i++) {
            // a job length off the polling grid by a random fraction of the interval, so the moment it ends is
            // uniformly spread between two status calls (a fixed length would always end at the same phase)
            int jobLength = jobMs + phases.nextInt(pollMs);
            Path dir = Files.createDirectories(work.resolve("run-" + i));
            try (PipelineHarness harness = new PipelineHarness(dir, emulator -> emulator
                    .jobDuration(Duration.ofMillis(jobLength)).queueTime(Duration.ZERO))) {
                harness.with("retrain.poll.interval", pollMs + "ms");
                CamelContext camel = new DefaultCamelContext();
                PipelineResources resources = RetrainPipeline.install(camel, TestAzureMl.config(harness.properties()));
                camel.start();
                try {
                    if (i % 2 == 1) {
                        allSucceeded &= oursOnce(harness, ours);
                        referenceOnce(harness, resources, pollMs, "reference-" + i, reference);
                    } else {
                        referenceOnce(harness, resources, pollMs, "reference-" + i, reference);
                        allSucceeded &= oursOnce(harness, ours);
                    }
                } finally {
                    camel.stop();
                }
            }
            System.err.printf("reaction run %d/%d (job %d ms): ours %.0f ms (fetch %.0f ms), blocking loop %.0f ms%n",
                    i, runs, jobLength, last(ours).reactionMs(), last(ours).fetchMs(), last(reference).reactionMs());
        }
        String section = section(runs, jobMs, pollMs, ours, reference, allSucceeded);
        Bench.write(out, section);
        System.out.print(section);
        return allSucceeded && ours.size() == runs;
    }

    private static Sample last(List<Sample> samples) {
        return samples.isEmpty() ? new Sample(Double.NaN, Double.NaN, Double.NaN) : samples.get(samples.size() - 1);
    }

    private static boolean oursOnce(PipelineHarness harness, List<Sample> samples) throws Exception {
        int exit = harness.runOnce();
        RetrainRun run = harness.lastRun();
        JobSnapshot job = harness.emulator().job(run.getJobId()).orElseThrow();
        Instant finished = job.endedAt();
        Instant patch = firstAfter(harness, Operation.UPDATE, "PATCH", null, finished);
        Instant statusSeen = firstAfter(harness, Operation.STATUS, "GET", run.getJobId(), finished);
        Instant fetchStarted = run.getStepStartedAt().get(PipelineStep.FETCH);
        Instant fetchEnded = run.stepEndedAt(PipelineStep.FETCH);
        if (exit != 0 || patch == null || statusSeen == null || fetchStarted == null || fetchEnded == null) {
            System.err.println("run " + run.getRunId() + " did not succeed (exit " + exit + ", " + run.getStatus() + ")");
            return false;
        }
        double fetchMs = millis(fetchStarted, fetchEnded);
        samples.add(new Sample(millis(finished, patch) - fetchMs, millis(finished, statusSeen), fetchMs));
        return true;
    }

    /** Microsoft's BES sample: submit, start, then sleep and ask, until the job ends. */
    private static void referenceOnce(PipelineHarness harness, PipelineResources resources, int pollMs, String runId,
            List<Sample> samples) throws Exception {
        PipelineConfig pipeline = resources.pipeline("default");
        AzureMlClient client = resources.azureMl();
        Map<String, BlobReference> inputs = new LinkedHashMap<>();
        pipeline.training().inputs().forEach((port, location) -> inputs.put(port, blob(pipeline, location)));
        Map<String, BlobReference> outputs = new LinkedHashMap<>();
        pipeline.training().outputsFor("default", runId).forEach((port, location) -> outputs.put(port,
                blob(pipeline, location)));
        String jobId = client.submitJob(pipeline.training().service(),
                new BatchJobRequest(inputs, outputs, pipeline.training().globalParameters()));
        client.startJob(pipeline.training().service(), jobId);
        Instant seen;
        while (true) {
            Thread.sleep(pollMs);
            JobStatus status = client.jobStatus(pipeline.training().service(), jobId).statusCode();
            if (status.isTerminal()) {
                seen = Instant.now();
                break;
            }
        }
        Instant finished = harness.emulator().job(jobId).orElseThrow().endedAt();
        double ms = millis(finished, seen);
        samples.add(new Sample(ms, ms, 0));
    }

    private static BlobReference blob(PipelineConfig pipeline, String location) {
        return BlobReference.withConnectionString(pipeline.storage().connectionString().reveal(), location);
    }

    private static Instant firstAfter(PipelineHarness harness, Operation operation, String method, String pathPart,
            Instant after) {
        return harness.requests(operation).stream()
                .filter(r -> r.method().equals(method) && !r.at().isBefore(after) && r.status() / 100 == 2)
                .filter(r -> pathPart == null || r.path().contains(pathPart))
                .map(RecordedRequest::at).min(Comparator.naturalOrder()).orElse(null);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static String section(int runs, int jobMs, int pollMs, List<Sample> ours, List<Sample> reference,
            boolean allSucceeded) {
        double oursMs = Bench.median(ours.stream().map(Sample::reactionMs).toList());
        double oursMax = ours.stream().mapToDouble(Sample::reactionMs).max().orElse(Double.NaN);
        double oursDetect = Bench.median(ours.stream().map(Sample::detectionMs).toList());
        double fetchMs = Bench.median(ours.stream().map(Sample::fetchMs).toList());
        double refMs = Bench.median(reference.stream().map(Sample::reactionMs).toList());
        double target = pollMs + 50;
        StringBuilder md = new StringBuilder();
        md.append("## c. Reaction time: job Finished to UpdateResource PATCH\n\n");
        md.append("Emulator job duration ").append(jobMs).append(" ms plus a random fraction of the interval (so the"
                + " job ends at a uniformly random moment between two status calls; the same length for ours and the"
                + " reference of a pair), `retrain.poll.interval=").append(pollMs)
                .append("ms`. Ours: ").append(runs).append(" full `--once` runs of the packaged route (runtime in the"
                        + " benchmark's JVM, real emulator and Azurite); reaction = the emulator's time of receiving the"
                        + " PATCH minus the time the job turned Finished (emulator job snapshot), minus the run's FETCH"
                        + " step time (run record). Reference, alternating with ours against the same emulator: a plain"
                        + " blocking loop like Microsoft's BES sample (`while (true) { sleep(interval); GET status }`),"
                        + " from Finished to the status answer that says so. The physical limit of any poller is the"
                        + " wait for the next status call, uniform in [0, interval] (median interval / 2 = ")
                .append(pollMs / 2).append(" ms), plus one status call. ").append(runs).append(" runs each"
                        + (allSucceeded ? ", all SUCCEEDED" : ", **not all SUCCEEDED**") + ". ")
                .append(Bench.machineNote()).append("\n\n");
        md.append("Command: `bench/run reaction` (`BENCH_REACTION_RUNS`, default 2 x `BENCH_RUNS`)\n\n");
        md.append(Bench.tableHeader());
        md.append(Bench.row("reaction, median (ms)", Bench.fmt(oursMs, 0), Bench.fmt(refMs, 0) + " (blocking loop)",
                Bench.fmt(oursMs / refMs, 2), "<= poll interval + 50 ms = " + (int) target,
                Bench.yesNo(oursMs <= target)));
        md.append(Bench.row("reaction, worst of " + ours.size() + " (ms)", Bench.fmt(oursMax, 0),
                Bench.fmt(reference.stream().mapToDouble(Sample::reactionMs).max().orElse(Double.NaN), 0)
                        + " (blocking loop)", "-", "(reported)", "-"));
        md.append(Bench.row("of which: Finished to the status call that saw it, median (ms)", Bench.fmt(oursDetect, 0),
                Bench.fmt(refMs, 0) + " (blocking loop)", Bench.fmt(oursDetect / refMs, 2), "(reported)", "-"));
        md.append(Bench.row("fetch time subtracted, median (ms)", Bench.fmt(fetchMs, 0), "-", "-", "(reported)", "-"));
        md.append('\n');
        return md.toString();
    }

    private ReactionBenchmark() {
    }
}

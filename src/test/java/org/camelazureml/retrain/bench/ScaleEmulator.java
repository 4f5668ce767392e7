package org.camelazureml.retrain.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camelazureml.retrain.azurite.AzuriteOptions;
import org.camelazureml.retrain.azurite.AzuriteServer;
import org.camelazureml.retrain.emulator.AzureMlEmulator;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.JobSnapshot;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.RecordedRequest;
import org.camelazureml.retrain.emulator.ScoringServiceSpec;

/**
 * The far side of the scale benchmark, in its own process so the pipeline's JVM holds only the pipeline: Azurite and
 * the Azure ML emulator with one updatable scoring endpoint per pipeline ({@code ep0000}, ...). Writes the
 * {@code retrain.pipelines.pNNNN.*} properties to a file, prints {@code READY <file> <azurite pid>}, then answers
 * commands on stdin, one per line:
 * <ul>
 *   <li>{@code MARK}: forgets the request log (a new measured window starts)</li>
 *   <li>{@code STATS}: {@code STATS <status calls> <p50 us> <p99 us> <max us> <requests> <jobs ended> <lag p50 ms>
 *       <lag max ms>} of the window: status-call latency as the emulator sees it (arrival to answer ready), and how
 *       late the jobs that ended in the window finished (ended minus running minus the job duration: the emulator's
 *       own training and output writes, and any queueing for its job workers)</li>
 *   <li>{@code SERVED}: one line {@code <endpoint> <sha256 or ->} per endpoint, then {@code END}</li>
 *   <li>{@code QUIT}</li>
 * </ul>
 * Arguments: pipelines, job duration (ms), poll interval (ms), properties file. The schedules are a day away: the
 * benchmark triggers the runs itself.
 */
public final class ScaleEmulator {

    static final int JOB_THREADS = 32;

    private ScaleEmulator() {
    }

    public static void main(String[] args) throws Exception {
        int pipelines = Integer.parseInt(args[0]);
        Duration jobDuration = Duration.ofMillis(Long.parseLong(args[1]));
        String pollMillis = args[2];
        Path propertiesFile = Path.of(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (AzuriteServer azurite = AzuriteServer.start(AzuriteOptions.inMemoryPersistence());
             EmulatorLauncher.Running running = EmulatorLauncher.start(EmulatorLauncher.Options.builder()
                     .jobDuration(jobDuration).queueTime(Duration.ZERO).build(), azurite,
                     // training and output writes wait on Azurite: more workers than the default 8, or a thousand jobs
                     // ending together queue for them (measured: STATS' job lag)
                     builder -> builder.scoringService(scoringService(pipelines)).jobThreads(JOB_THREADS)
                             .requestLogCapacity(Math.max(10_000, pipelines * 200)))) {
            AzureMlEmulator emulator = running.emulator();
            Files.writeString(propertiesFile, toText(pipelineProperties(running, pipelines, pollMillis)));
            out.println("READY " + propertiesFile + " " + azurite.pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Instant mark = Instant.now();
            for (String command = in.readLine(); command != null && !command.equals("QUIT"); command = in.readLine()) {
                switch (command) {
                    case "MARK" -> {
                        emulator.clearRequests();
                        mark = Instant.now();
                        out.println("OK");
                    }
                    case "STATS" -> out.println(stats(emulator.requests()) + " " + jobLag(emulator.jobs(), mark, jobDuration));
                    case "SERVED" -> {
                        for (int i = 0; i < pipelines; i++) {
                            out.println(endpoint(i) + " " + emulator.servedModel(endpoint(i))
                                    .map(served -> served.sha256()).orElse("-"));
                        }
                        out.println("END");
                    }
                    default -> out.println("ERROR unknown command " + command);
                }
            }
        }
    }

    static String pipeline(int i) {
        return String.format("p%04d", i);
    }

    static String endpoint(int i) {
        return String.format("ep%04d", i);
    }

    private static ScoringServiceSpec scoringService(int pipelines) {
        ScoringServiceSpec.Builder scoring = ScoringServiceSpec.builder(EmulatorLauncher.SCORING_SERVICE)
                .resourceNames("Retrained Model [trained model]").endpoint("default", null, true)
                .endpoint(EmulatorLauncher.UPDATABLE_ENDPOINT, null, false); // the launcher's own, unused here
        for (int i = 0; i < pipelines; i++) {
            scoring.endpoint(endpoint(i), null, false);
        }
        return scoring.build();
    }

    /** Every pipeline like the launcher's default one, on its own endpoint, writing under its own name. */
    private static Map<String, String> pipelineProperties(EmulatorLauncher.Running running, int pipelines,
                                                          String pollMillis) {
        Map<String, String> base = running.properties();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < pipelines; i++) {
            String prefix = "retrain.pipelines." + pipeline(i) + ".";
            base.forEach((key, value) -> properties.put(prefix + key.substring("retrain.".length()), value));
            properties.put(prefix + "training.outputs.output1", "models/{pipeline}/{runId}/model.ilearner");
            properties.put(prefix + "training.outputs.output2", "models/{pipeline}/{runId}/evaluation.csv");
            properties.put(prefix + "scoring.update-resource-endpoint",
                    running.emulator().updateResourceUrl(endpoint(i)));
            properties.put(prefix + "scoring.api-key", running.emulator().endpointKey(endpoint(i)));
            properties.put(prefix + "poll.interval", pollMillis);
            properties.put(prefix + "job.timeout", "10m");
            properties.put(prefix + "schedule.period", "1d");
            properties.put(prefix + "schedule.initial-delay", "1d");
        }
        return properties;
    }

    private static String toText(Map<String, String> properties) {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static String jobLag(List<JobSnapshot> jobs, Instant since, Duration jobDuration) {
        List<Long> lagMillis = new ArrayList<>();
        for (JobSnapshot job : jobs) {
            if (job.endedAt() != null && job.runningAt() != null && job.endedAt().isAfter(since)) {
                lagMillis.add(Duration.between(job.runningAt(), job.endedAt()).minus(jobDuration).toMillis());
            }
        }
        lagMillis.sort(null);
        return lagMillis.size() + " " + Stats.percentile(lagMillis, 50) + " "
                + (lagMillis.isEmpty() ? 0 : lagMillis.get(lagMillis.size() - 1));
    }

    private static String stats(List<RecordedRequest> requests) {
        List<Long> micros = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (request.operation() == Operation.STATUS) {
                micros.add(request.duration().toNanos() / 1000);
            }
        }
        micros.sort(null);
        return "STATS " + micros.size() + " " + Stats.percentile(micros, 50) + " " + Stats.percentile(micros, 99) + " "
                + (micros.isEmpty() ? 0 : micros.get(micros.size() - 1)) + " " + requests.size();
    }
}

package org.camelazureml.retrain.bench;

import java.io.FileReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camelazureml.retrain.azureml.BatchJobRequest;
import org.camelazureml.retrain.azureml.BlobReference;
import org.camelazureml.retrain.azureml.JobStatus;
import org.camelazureml.retrain.azureml.JobStatusResponse;
import org.camelazureml.retrain.azureml.UpdateResourceRequest;

/**
 * The reference of the scale benchmark: a plain thread-per-run blocking poller. One platform thread per pipeline:
 * submit, start, then {@code GET status; sleep(poll interval)} until Finished, then PATCH the pipeline's endpoint with
 * the job's own output (BaseLocation and SAS from the status Results). One shared {@code java.net.http.HttpClient},
 * synchronous sends; a status call or PATCH whose connection was lost is sent once more. No run records, no model
 * fetch: it does less than the pipeline, which is the point of a floor.
 * Arguments: properties file (from {@link ScaleEmulator}), pipelines, poll interval (ms). Prints {@code RESULT ...}.
 */
public final class ScaleReference {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ScaleReference() {
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (FileReader reader = new FileReader(args[0], StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        int pipelines = Integer.parseInt(args[1]);
        Duration pollInterval = Duration.ofMillis(Long.parseLong(args[2]));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicLong lastEnd = new AtomicLong();
        List<Long> statusMicros = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long cpuAtStart = Stats.cpuMillis(ProcessHandle.current().pid());
        long start = System.nanoTime();
        for (int i = 0; i < pipelines; i++) {
            String prefix = "retrain.pipelines." + ScaleEmulator.pipeline(i) + ".";
            Thread thread = new Thread(() -> {
                try {
                    runOnce(http, properties, prefix, pollInterval, statusMicros);
                    succeeded.incrementAndGet();
                } catch (Exception e) {
                    failures.add(prefix + ": " + e);
                } finally {
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                }
            }, "reference-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Long> sorted = new ArrayList<>(statusMicros);
        sorted.sort(null);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        failures.stream().limit(5).forEach(failure -> out.println("FAILURE " + failure));
        out.println("RESULT wallMs=" + (lastEnd.get() - start) / 1_000_000 + " succeeded=" + succeeded.get()
                + " statusCalls=" + sorted.size() + " statusP50us=" + Stats.percentile(sorted, 50)
                + " statusP99us=" + Stats.percentile(sorted, 99) + " vmHwmKb=" + Stats.procStatus(ProcessHandle.current().pid(), "VmHWM")
                + " windowCpuMs=" + (Stats.cpuMillis(ProcessHandle.current().pid()) - cpuAtStart));
    }

    private static void runOnce(HttpClient http, Properties properties, String prefix, Duration pollInterval,
                                List<Long> statusMicros) throws Exception {
        String jobs = properties.getProperty(prefix + "training.endpoint");
        String query = jobs.contains("?") ? jobs.substring(jobs.indexOf('?')) : "?api-version=2.0";
        String base = jobs.contains("?") ? jobs.substring(0, jobs.indexOf('?')) : jobs;
        String trainingKey = properties.getProperty(prefix + "training.api-key");
        String connection = properties.getProperty(prefix + "storage.connection-string");
        String runDir = "models/reference/" + UUID.randomUUID();
        BatchJobRequest request = new BatchJobRequest(
                Map.of("input1", new BlobReference(connection, properties.getProperty(prefix + "training.inputs.input1"), null, null)),
                Map.of("output1", new BlobReference(connection, runDir + "/model.ilearner", null, null),
                        "output2", new BlobReference(connection, runDir + "/evaluation.csv", null, null)),
                Map.of());
        String jobId = JSON.readValue(send(http, "POST", base + query, trainingKey, JSON.writeValueAsBytes(request)), String.class);
        send(http, "POST", base + "/" + jobId + "/start" + query, trainingKey, null);
        JobStatusResponse status;
        while (true) {
            long sent = System.nanoTime();
            status = JSON.readValue(send(http, "GET", base + "/" + jobId + query, trainingKey, null), JobStatusResponse.class);
            statusMicros.add((System.nanoTime() - sent) / 1000);
            if (status.statusCode().isTerminal()) {
                break;
            }
            Thread.sleep(pollInterval.toMillis());
        }
        if (status.statusCode() != JobStatus.Finished) {
            throw new IllegalStateException("job " + jobId + " ended " + status.statusCode());
        }
        BlobReference model = status.results().get("output1");
        UpdateResourceRequest update = UpdateResourceRequest.of(properties.getProperty(prefix + "scoring.trained-model-name"),
                new UpdateResourceRequest.ModelLocation(model.baseLocation(), model.relativeLocation(), model.sasBlobToken()));
        send(http, "PATCH", properties.getProperty(prefix + "scoring.update-resource-endpoint"),
                properties.getProperty(prefix + "scoring.api-key"), JSON.writeValueAsBytes(update));
    }

    private static byte[] send(HttpClient http, String method, String url, String key, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException lost) {
            if (method.equals("POST")) {
                throw lost; // a submit could have created a job: never sent twice
            }
            // a keep-alive connection the server closed meanwhile (the JDK server keeps at most 200 idle ones)
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + URI.create(url).getPath() + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}

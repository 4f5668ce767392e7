package org.camelazureml.retrain.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.awaitility.Awaitility;
import org.camelazureml.retrain.RetrainRuntime;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.state.RetrainRun.EndpointUpdate;
import org.camelazureml.retrain.state.RetrainRun.ModelRecord;
import org.camelazureml.retrain.state.RetrainRun.UpdateStatus;
import org.camelazureml.retrain.state.RunStatus;
import org.camelazureml.retrain.support.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as it runs (camel-main, the packaged routes and properties) with its management server on a free
 * loopback port: the Prometheus text at /observe/metrics holds every pipeline metric after runs that succeed, retry
 * and fail, with exact counts and no secret; /observe/health is UP after a fresh run, and DOWN for a stale pipeline
 * and for a configuration with an invalid pipeline.
 */
class MetricsAndHealthTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PipelineHarness harness;
    private RetrainRuntime runtime;
    private CompletableFuture<Integer> running;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.main().completed();
            assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
        }
        harness.close();
    }

    @Test
    void thePrometheusTextHoldsEveryPipelineMetricAfterRunsAndHealthIsUp() throws Exception {
        harness = new PipelineHarness(dataDir, b -> { }).with("retrain.health.max-age", "1h");
        CamelContext camel = start();

        RetrainRun succeeded = RetrainRuntime.trigger(camel, "default");
        harness.emulator().faults().add("status:503");
        harness.emulator().faults().add("update:429");
        RetrainRun retried = RetrainRuntime.trigger(camel, "default");
        harness.emulator().faults().add("job:failed=Out of memory in Train Model");
        RetrainRun failed = RetrainRuntime.trigger(camel, "default");
        assertThat(List.of(succeeded, retried, failed)).extracting(RetrainRun::getStatus)
                .containsExactly(RunStatus.SUCCEEDED, RunStatus.SUCCEEDED, RunStatus.FAILED);
        assertThat(retried.getRetries()).containsEntry(PipelineStep.POLL, 1).containsEntry(PipelineStep.UPDATE, 1);

        HttpResponse<String> scrape = get("/observe/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        List<Sample> samples = parse(scrape.body());

        assertThat(value(samples, "retrain_runs_total", "pipeline", "default", "kind", "TRAINING", "status",
                "SUCCEEDED")).isEqualTo(2.0);
        assertThat(value(samples, "retrain_runs_total", "pipeline", "default", "kind", "TRAINING", "status",
                "FAILED")).isEqualTo(1.0);
        assertThat(value(samples, "retrain_runs_total", "pipeline", "default", "kind", "TRAINING", "status",
                "CANCELLED")).isEqualTo(0.0);
        assertThat(value(samples, "retrain_retries_total", "pipeline", "default", "step", "POLL", "cause",
                "http_503")).isEqualTo(1.0);
        assertThat(value(samples, "retrain_retries_total", "pipeline", "default", "step", "UPDATE", "cause",
                "http_429")).isEqualTo(1.0);

        // every run timed each step it went through; the failed one ended in POLL
        for (String step : List.of("SUBMIT", "START", "POLL")) {
            assertThat(value(samples, "retrain_step_duration_seconds_count", "pipeline", "default", "step", step))
                    .as(step).isEqualTo(3.0);
        }
        for (String step : List.of("FETCH", "UPDATE")) {
            assertThat(value(samples, "retrain_step_duration_seconds_count", "pipeline", "default", "step", step))
                    .as(step).isEqualTo(2.0);
        }
        assertThat(value(samples, "retrain_step_duration_seconds_sum", "pipeline", "default", "step", "POLL"))
                .isGreaterThan(0.0);
        assertThat(value(samples, "retrain_step_duration_seconds_bucket", "pipeline", "default", "step", "SUBMIT",
                "le", "+Inf")).isEqualTo(3.0);
        assertThat(value(samples, "retrain_job_queue_seconds_count", "pipeline", "default")).isEqualTo(3.0);
        assertThat(value(samples, "retrain_job_queue_seconds_sum", "pipeline", "default")).isGreaterThan(0.0);
        assertThat(value(samples, "retrain_job_run_seconds_count", "pipeline", "default")).isBetween(2.0, 3.0);
        assertThat(value(samples, "retrain_job_run_seconds_sum", "pipeline", "default")).isGreaterThan(0.0);

        EndpointUpdate lastUpdate = retried.update("default");
        assertThat(value(samples, "retrain_last_update_timestamp_seconds", "pipeline", "default", "endpoint",
                "default")).isEqualTo(lastUpdate.at().toEpochMilli() / 1000.0);
        assertThat(value(samples, "retrain_last_update_age_seconds", "pipeline", "default", "endpoint", "default"))
                .isBetween(0.0, 300.0);
        assertThat(value(samples, "retrain_model_size_bytes", "pipeline", "default", "output", "output1"))
                .isEqualTo((double) retried.model("output1").sizeBytes()).isGreaterThan(0.0);
        assertThat(samples).as("Camel's own route metrics stay on")
                .anyMatch(sample -> sample.name().startsWith("camel_exchanges") && "retrain-default".equals(
                        sample.labels().get("routeId")));

        for (Map.Entry<String, String> property : harness.properties().entrySet()) {
            if (property.getKey().endsWith("api-key") || property.getKey().endsWith("connection-string")) {
                assertThat(scrape.body()).as(property.getKey()).doesNotContain(property.getValue());
                for (String part : property.getValue().split(";")) {
                    if (part.startsWith("AccountKey=")) {
                        assertThat(scrape.body()).doesNotContain(part.substring("AccountKey=".length()));
                    }
                }
            }
        }

        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> full = get("/observe/health/ready?exposureLevel=full");
        assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
        assertThat(full.body()).contains("\"name\":\"retrain-config\",\"status\":\"UP\"")
                .contains("\"name\":\"retrain-freshness-default\",\"status\":\"UP\"");
    }

    @Test
    void aStalePipelineAndAnInvalidOneReportDown() throws Exception {
        harness = new PipelineHarness(dataDir, b -> { }).withPipeline("quick")
                .with("retrain.health.max-age", "1d")
                .with("retrain.pipelines.quick.health.max-age", "1s")
                .with("retrain.pipelines.gamma.training.endpoint", "not-a-url");
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
        harness.store().save(oldSuccessfulRun(twoDaysAgo));
        CamelContext camel = start();

        Map<String, HealthCheck.Result> checks = checks(camel);
        assertThat(checks.get("retrain-config").getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(checks.get("retrain-config").getMessage()).hasValueSatisfying(message ->
                assertThat(message).contains("pipeline 'gamma' is left out"));
        assertThat(checks.get("retrain-config").getDetails()).containsKey("invalid.gamma");
        assertThat(checks.get("retrain-freshness-default").getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(checks.get("retrain-freshness-default").getMessage()).hasValueSatisfying(message ->
                assertThat(message).contains("last successful update was 2d").contains("max-age of 1d"));
        // the metrics were read from the run store: the old run is the last update
        List<Sample> before = parse(get("/observe/metrics").body());
        assertThat(value(before, "retrain_last_update_timestamp_seconds", "pipeline", "default", "endpoint",
                "default")).isEqualTo(twoDaysAgo.toEpochMilli() / 1000.0);
        assertThat(value(before, "retrain_last_update_age_seconds", "pipeline", "default", "endpoint", "default"))
                .isGreaterThan(Duration.ofDays(2).toSeconds());
        assertThat(value(before, "retrain_model_size_bytes", "pipeline", "default", "output", "output1"))
                .isEqualTo(1234.0);
        assertThat(value(before, "retrain_last_update_age_seconds", "pipeline", "quick", "endpoint", "default"))
                .isNaN();

        HttpResponse<String> ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("retrain-config")
                .contains("pipeline 'gamma' is left out").contains("retrain-freshness-default");

        // a fresh model makes the default pipeline fresh again
        assertThat(RetrainRuntime.trigger(camel, "default").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(checks(camel).get("retrain-freshness-default").getState()).isEqualTo(HealthCheck.State.UP);

        // quick updates, then goes stale once its max-age of 1s has passed
        assertThat(RetrainRuntime.trigger(camel, "quick").getStatus()).isEqualTo(RunStatus.SUCCEEDED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HealthCheck.Result quick = checks(camel).get("retrain-freshness-quick");
            assertThat(quick.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(quick.getMessage()).hasValueSatisfying(message ->
                    assertThat(message).contains("pipeline 'quick' is stale: its last successful update was"));
        });
        HttpResponse<String> down = get("/observe/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("retrain-freshness-quick").doesNotContain("retrain-freshness-default");
    }

    /** Starts the application on the schedule (its first tick an hour away) with the management server on. */
    private CamelContext start() throws Exception {
        port = freePort();
        harness.with("retrain.schedule.initial-delay", "1h")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        runtime = harness.runtime();
        running = CompletableFuture.supplyAsync(() -> {
            try {
                return runtime.runScheduled();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get("/observe/health").statusCode() > 0 && runtime.main().getCamelContext().isStarted());
        return runtime.main().getCamelContext();
    }

    private static RetrainRun oldSuccessfulRun(Instant at) {
        RetrainRun run = new RetrainRun("20200101-000000-old000", "default", at.minus(Duration.ofHours(1)));
        run.setStatus(RunStatus.SUCCEEDED);
        run.setStep(PipelineStep.DONE);
        run.setFinishedAt(at);
        run.setEndpoints(List.of("default"));
        run.setModels(List.of(new ModelRecord("output1", "models/old/model.ilearner", "old/output1.ilearner", 1234,
                "0".repeat(64))));
        run.setUpdates(List.of(new EndpointUpdate("default", "http://127.0.0.1/old", "Retrained Model [trained model]",
                "output1", "0".repeat(64), UpdateStatus.UPDATED, at, true, null)));
        return run;
    }

    private static Map<String, HealthCheck.Result> checks(CamelContext camel) {
        Map<String, HealthCheck.Result> byId = new HashMap<>();
        HealthCheckHelper.invoke(camel, "full").forEach(result -> byId.put(result.getCheck().getId(), result));
        return byId;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One line of the Prometheus text format. */
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            String value = sample.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity");
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(value)));
        }
        return samples;
    }

    /** The value of the one sample with this name and exactly these labels. */
    private static double value(List<Sample> samples, String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertThat(found).as(name + wanted + " in the scrape").hasSize(1);
        return found.get(0).value();
    }
}

package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailCode;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault kind, observed through the HTTP API as a client sees it. */
class FaultInjectionTest extends EmulatorTestSupport {

    static AzureMlEmulator emulator;
    static EmulatorHttp http;

    @BeforeAll
    static void startEmulator() {
        emulator = AzureMlEmulator.builder()
                .workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .scoringService(ScoringServiceSpec.builder("score-svc").endpoint("default", "key0", true)
                        .endpoint("ep1", "key1", false).build())
                .jobDuration(Duration.ofMillis(200))
                .requestThreads(2) // few threads: a delayed answer must not hold one
                .start();
        http = new EmulatorHttp(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    /** One call per operation; an injected fault answers before the call is even checked. */
    static HttpResponse<String> call(Operation operation) {
        String jobId = operation == Operation.SUBMIT ? null
                : http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        return switch (operation) {
            case SUBMIT -> http.submit(jobBody(DATA_CONTAINER + "/x.csv", uniqueRun()));
            case START -> http.start(jobId);
            case STATUS -> http.status(jobId);
            case CANCEL -> http.cancel(jobId);
            case UPDATE -> http.patch("ep1", "key1", EmulatorHttp.updateBody("Trained Model [trained model]",
                    "http://127.0.0.1:1/", "models/x.ilearner", "?sig=x"));
            case GET_ENDPOINT -> http.getEndpoint("ep1", "key1");
            case EXECUTE -> http.execute("ep1", List.of(Map.of("a", 1)));
        };
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void anyOperationCanAnswerAnInjectedStatusWithTheClassicBody(Operation operation) {
        Fault fault = emulator.faults().respondWithStatus(operation, 500, 1);

        HttpResponse<String> response = call(operation);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("InternalError");
        assertThat(fault.firedCount()).isEqualTo(1);
        assertThat(emulator.faults().firedCount(operation)).isEqualTo(1);
    }

    @Test
    void statusFaultsFireNTimesThenTheCallSucceeds() {
        emulator.faults().add("submit:503x2@retry-after=3");
        String body = jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()).toString();

        HttpResponse<String> first = EmulatorHttp.send("POST", http.jobsUrl(), "train-key", body);
        HttpResponse<String> second = EmulatorHttp.send("POST", http.jobsUrl(), "train-key", body);
        HttpResponse<String> third = EmulatorHttp.send("POST", http.jobsUrl(), "train-key", body);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(json(first).at("/error/code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(detailCode(first)).isEqualTo("RequestThrottled");
        assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(emulator.submittedJobCount()).isPositive();
        assertThat(emulator.faults().firedCount(Operation.SUBMIT)).isEqualTo(2);
    }

    @Test
    void tooManyRequestsHasItsOwnCode() {
        emulator.faults().respondWithStatus(Operation.STATUS, 429, 1, Duration.ofSeconds(1));

        HttpResponse<String> response = call(Operation.STATUS);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("TooManyRequests");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void aDroppedConnectionGetsNoAnswerAtAll() {
        String id = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        Fault drop = emulator.faults().dropConnection(Operation.START, 1);
        // a fresh client: no pooled connection the JDK client might retry on
        HttpClient fresh = HttpClient.newHttpClient();
        HttpRequest start = HttpRequest.newBuilder(URI.create(emulator.trainingJobsUrl() + "/" + id
                        + "/start?api-version=2.0")).header("Authorization", "Bearer train-key")
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        assertThatThrownBy(() -> fresh.send(start, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

        assertThat(drop.firedCount()).isEqualTo(1);
        assertThat(emulator.requests()).anySatisfy(request -> {
            assertThat(request.operation()).isEqualTo(Operation.START);
            assertThat(request.wasDropped()).isTrue();
        });
        // the dropped start did not start the job; the retry does
        assertThat(emulator.job(id).orElseThrow().status()).isEqualTo(JobStatus.NOT_STARTED);
        assertThat(http.start(id).statusCode()).isEqualTo(200);
    }

    @Test
    void aSlowAnswerIsScheduledAndDoesNotHoldARequestThread() {
        String id = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        emulator.faults().delay(Operation.STATUS, Duration.ofMillis(800), 3);
        long started = System.nanoTime();

        // three delayed calls on an emulator with two request threads ...
        List<CompletableFuture<HttpResponse<String>>> slow = List.of(statusAsync(id), statusAsync(id), statusAsync(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.faults().firedCount(Operation.STATUS) == 3);
        // ... still leave room for another call to be answered at once
        HttpResponse<String> fast = http.getEndpoint("ep1", "key1");
        long fastMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fastMillis).isLessThan(800);
        slow.forEach(future -> assertThat(future.join().statusCode()).isEqualTo(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }

    private static CompletableFuture<HttpResponse<String>> statusAsync(String id) {
        return EmulatorHttp.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(http.jobUrl(id)))
                .header("Authorization", "Bearer train-key").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJobCanBeMadeToFailWithDetails() {
        Fault fault = emulator.faults().add("job:failed=Out of memory").get(0);

        JsonNode status = http.runToEnd(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));

        assertThat(status.get("StatusCode").asText()).isEqualTo("Failed");
        assertThat(status.get("Details").asText()).isEqualTo("Out of memory");
        assertThat(status.get("Results").isNull()).isTrue();
        assertThat(fault.firedCount()).isEqualTo(1);
        // once only: the next job is fine
        assertThat(http.runToEnd(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun())).get("StatusCode").asText())
                .isEqualTo("Finished");
    }

    @Test
    void aJobCanBeStuckRunningOrNotStarted() {
        emulator.faults().stickJobs(JobStatus.RUNNING, 1);
        emulator.faults().stickJobs(JobStatus.NOT_STARTED, 1);
        String running = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        String notStarted = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));

        http.start(running);
        http.start(notStarted);

        // well past the 200 ms job duration, neither moves on
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() ->
                status(running).equals("Running") && status(notStarted).equals("NotStarted"));
        assertThat(http.cancel(running).statusCode()).isEqualTo(200);
        assertThat(status(running)).isEqualTo("Cancelled");
    }

    private static String status(String id) {
        return http.statusJson(id).get("StatusCode").asText();
    }

    @Test
    void theModelBlobCanBeMissingOrEmptyWhileTheJobReportsIt() {
        emulator.faults().add("model:missing,model:empty");

        JsonNode missing = http.runToEnd(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        JsonNode empty = http.runToEnd(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));

        assertThat(missing.get("StatusCode").asText()).isEqualTo("Finished");
        assertThat(EmulatorHttp.downloadResult(missing.at("/Results/output1")).statusCode()).isEqualTo(404);
        assertThat(EmulatorHttp.downloadResult(missing.at("/Results/output2")).statusCode()).isEqualTo(200);
        assertThat(empty.get("StatusCode").asText()).isEqualTo("Finished");
        HttpResponse<byte[]> emptyModel = EmulatorHttp.downloadResult(empty.at("/Results/output1"));
        assertThat(emptyModel.statusCode()).isEqualTo(200);
        assertThat(emptyModel.body()).isEmpty();
        assertThat(emulator.faults().firedCount(Fault.Kind.MODEL_MISSING)).isEqualTo(1);
        assertThat(emulator.faults().firedCount(Fault.Kind.MODEL_EMPTY)).isEqualTo(1);
    }

    @Test
    void faultsCanBeGivenAsASpecWhenBuilding() {
        try (AzureMlEmulator specified = AzureMlEmulator.builder().workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key").build())
                .faults("status:404x*").start()) {
            EmulatorHttp client = new EmulatorHttp(specified);
            String id = client.submitOk(jobBody(DATA_CONTAINER + "/x.csv", uniqueRun()));

            assertThat(client.status(id).statusCode()).isEqualTo(404);
            assertThat(client.status(id).statusCode()).isEqualTo(404);
            assertThat(specified.faults().firedCount(Operation.STATUS)).isEqualTo(2);
        }
    }
}

package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailCode;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.azure.storage.blob.models.BlockListType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    void clearFaultsAndRequests() {
        emulator.faults().clear();
        emulator.clearRequests();
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

        assertThatThrownBy(() -> callOnce("POST", http.startUrl(id), "train-key", null)).isInstanceOf(IOException.class);

        assertThat(drop.firedCount()).isEqualTo(1);
        assertThat(emulator.requests()).anySatisfy(request -> {
            assertThat(request.operation()).isEqualTo(Operation.START);
            assertThat(request.wasDropped()).isTrue();
        });
        // the dropped start did not start the job; the retry does
        assertThat(emulator.job(id).orElseThrow().status()).isEqualTo(JobStatus.NOT_STARTED);
        assertThat(http.start(id).statusCode()).isEqualTo(200);
        // ended before the next test, whose model faults it could otherwise take
        assertThat(http.awaitEnd(id).get("StatusCode").asText()).isEqualTo("Finished");
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
        return EmulatorHttp.sendAsync("GET", http.jobUrl(id), "train-key", null);
    }

    /** A call on a fresh client (no pooled connection the JDK client might retry on); a missing answer throws. */
    private static HttpResponse<String> callOnce(String method, String url, String key, String body)
            throws IOException, InterruptedException {
        return EmulatorHttp.sendWith(HttpClient.newHttpClient(), method, url, key, body, Duration.ofSeconds(10));
    }

    /** The job whose outputs go under this run's folder. */
    private static Optional<JobSnapshot> jobOf(String run) {
        return emulator.jobs().stream()
                .filter(job -> job.outputs().get("output1").startsWith(MODEL_CONTAINER + "/" + run + "/")).findFirst();
    }

    /**
     * The one request of this test to {@code operation} whose path contains {@code text}, once it is recorded: at
     * once for an answer the client has, later for one still on its way to a client that gave up.
     */
    private static RecordedRequest recorded(Operation operation, String text) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> emulator.requests().stream()
                .filter(r -> r.operation() == operation && r.path().contains(text)).toList(), list -> list.size() == 1)
                .get(0);
    }

    /** An UpdateResource body for a finished job's trained model, read through its Results SAS. */
    private static ObjectNode updateFor(AzureMlEmulator target, JsonNode finishedJob) {
        return EmulatorHttp.updateBody(target.scoringService().resourceNames().get(0), finishedJob.at("/Results/output1"));
    }

    private static JsonNode trainedJob() {
        JsonNode finished = http.runToEnd(jobBody(uploadData(linearCsv(40, 0.1, 3)), uniqueRun()));
        assertThat(finished.get("StatusCode").asText()).as(finished.toString()).isEqualTo("Finished");
        return finished;
    }

    @Test
    void aLateSubmitCreatesTheJobBeforeTheAnswerArrives() {
        Fault late = emulator.faults().answerLate(Operation.SUBMIT, Duration.ofMillis(700), 1);
        String run = uniqueRun();
        String body = jobBody(uploadData(linearCsv(20, 0.1, 1)), run).toString();

        CompletableFuture<HttpResponse<String>> answer = EmulatorHttp.sendAsync("POST", http.jobsUrl(), "train-key", body);

        JobSnapshot job = await().atMost(Duration.ofSeconds(5)).until(() -> jobOf(run), Optional::isPresent).orElseThrow();
        assertThat(answer).as("the client is still waiting").isNotDone();
        HttpResponse<String> response = answer.join();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).asText()).isEqualTo(job.id());
        assertThat(late.firedCount()).isEqualTo(1);
        assertThat(recorded(Operation.SUBMIT, "")).satisfies(request -> {
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        });
    }

    @Test
    void aLateStartTakesEffectEvenWhenTheClientGaveUpWaiting() {
        String id = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        emulator.faults().add("start:late=600");
        HttpClient impatient = HttpClient.newHttpClient();

        assertThatThrownBy(() -> EmulatorHttp.sendWith(impatient, "POST", http.startUrl(id), "train-key", null,
                Duration.ofMillis(200))).isInstanceOf(HttpTimeoutException.class);

        // the job starts although the client gave up; the answer still goes out (to nobody) and is recorded
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.job(id).orElseThrow().startedAt() != null);
        assertThat(recorded(Operation.START, id).status()).isEqualTo(200);
        assertThat(http.awaitEnd(id).get("StatusCode").asText()).isEqualTo("Finished");
    }

    @Test
    void aLateUpdateServesTheModelBeforeTheAnswerArrives() {
        JsonNode finished = trainedJob();
        emulator.faults().answerLate(Operation.UPDATE, Duration.ofMillis(600), 1);

        CompletableFuture<HttpResponse<String>> answer = EmulatorHttp.sendAsync("PATCH", emulator.updateResourceUrl("ep1"),
                "key1", updateFor(emulator, finished).toString());

        String model = finished.at("/Results/output1/RelativeLocation").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> emulator.servedModel("ep1")
                .filter(served -> served.relativeLocation().equals(model)).isPresent());
        assertThat(answer).as("the client is still waiting").isNotDone();
        assertThat(answer.join().statusCode()).isEqualTo(200);
    }

    @Test
    void aLostSubmitCreatedTheJobButTheClientNeverLearnsItsId() {
        Fault lost = emulator.faults().loseAnswer(Operation.SUBMIT, 1);
        String run = uniqueRun();
        String body = jobBody(uploadData(linearCsv(20, 0.1, 1)), run).toString();

        assertThatThrownBy(() -> callOnce("POST", http.jobsUrl(), "train-key", body)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);

        assertThat(jobOf(run)).hasValueSatisfying(job -> assertThat(job.status()).isEqualTo(JobStatus.NOT_STARTED));
        assertThat(lost.firedCount()).isEqualTo(1);
        assertThat(recorded(Operation.SUBMIT, "").wasDropped()).as("no answer").isTrue();
    }

    @Test
    void aLostStartStartedTheJobSoARetryIsRefused() {
        String id = http.submitOk(jobBody(uploadData(linearCsv(20, 0.1, 1)), uniqueRun()));
        emulator.faults().add("start:lost");

        assertThatThrownBy(() -> callOnce("POST", http.startUrl(id), "train-key", null)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);

        // unlike a dropped start (see above), this one took effect
        assertThat(emulator.job(id).orElseThrow().startedAt()).isNotNull();
        assertThat(recorded(Operation.START, id).wasDropped()).as("no answer").isTrue();
        HttpResponse<String> retry = http.start(id);
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(detailCode(retry)).isEqualTo("CannotStartJob");
        assertThat(http.awaitEnd(id).get("StatusCode").asText()).isEqualTo("Finished");
    }

    @Test
    void aLostUpdateUpdatedTheEndpoint() {
        JsonNode finished = trainedJob();
        emulator.faults().loseAnswer(Operation.UPDATE, 1);
        String body = updateFor(emulator, finished).toString();

        assertThatThrownBy(() -> callOnce("PATCH", emulator.updateResourceUrl("ep1"), "key1", body))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);

        // the connection closed only once the endpoint served the model
        assertThat(emulator.servedModel("ep1")).hasValueSatisfying(served -> assertThat(served.relativeLocation())
                .isEqualTo(finished.at("/Results/output1/RelativeLocation").asText()));
    }

    @Test
    void aPaddedModelDownloadsAtFullSizeAndStillServes() {
        long padding = 6L * 1024 * 1024; // more than one 4 MiB block
        String data = uploadData(linearCsv(40, 0.1, 3));
        // an emulator of its own: a job still running from another test cannot take the fault
        try (AzureMlEmulator isolated = testEmulator()
                .jobDuration(Duration.ofMillis(200)).faults("model:padded=" + padding).start()) {
            EmulatorHttp client = new EmulatorHttp(isolated);

            JsonNode padded = client.runToEnd(jobBody(data, uniqueRun()));
            JsonNode plain = client.runToEnd(jobBody(data, uniqueRun()));

            byte[] model = EmulatorHttp.downloadResult(plain.at("/Results/output1")).body();
            HttpResponse<byte[]> download = EmulatorHttp.downloadResult(padded.at("/Results/output1"));
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length).isEqualTo(model.length + padding);
            assertThat(Arrays.copyOf(download.body(), model.length)).as("the same model first").isEqualTo(model);
            assertThat(new String(download.body(), model.length, (int) padding, StandardCharsets.US_ASCII)).isBlank();
            String blob = padded.at("/Results/output1/RelativeLocation").asText().substring(MODEL_CONTAINER.length() + 1);
            assertThat(blobs.getBlobContainerClient(MODEL_CONTAINER).getBlobClient(blob).getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).as("uploaded in blocks")
                    .hasSizeGreaterThan(1);
            assertThat(isolated.faults().firedCount(Fault.Kind.MODEL_PADDED)).isEqualTo(1);

            HttpResponse<String> patch = client.patch("ep1", isolated.endpointKey("ep1"), updateFor(isolated, padded));

            assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
            assertThat(isolated.servedModel("ep1").orElseThrow().size()).isEqualTo(model.length + padding);
            // y = 2a - 3b + 1 at a=1, b=2 is -3
            HttpResponse<String> scored = client.execute("ep1", List.of(Map.of("a", 1.0, "b", 2.0)));
            assertThat(json(scored).at("/Results/output1/0/Scored Labels").asDouble()).isCloseTo(-3.0, within(0.2));
        }
    }

    @Test
    void forgottenJobsAreNotFoundAndNeverFinish() {
        try (AzureMlEmulator forgetful = testEmulator().jobDuration(Duration.ofMillis(300)).start()) {
            EmulatorHttp client = new EmulatorHttp(forgetful);
            String data = uploadData(linearCsv(20, 0.1, 1));
            String run = uniqueRun();
            String submitted = client.submitOk(jobBody(data, uniqueRun()));
            String running = client.submitOk(jobBody(data, run));
            assertThat(client.start(running).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> forgetful.job(running).orElseThrow().status() == JobStatus.RUNNING);

            assertThat(forgetful.forgetJobs()).isEqualTo(2);

            assertThat(forgetful.jobs()).isEmpty();
            for (String id : List.of(submitted, running)) {
                for (HttpResponse<String> response : List.of(client.status(id), client.start(id), client.cancel(id))) {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
                    assertThat(detailCode(response)).isEqualTo("NotFound");
                }
            }
            // the running job's end never comes: no model is written
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> !exists(MODEL_CONTAINER + "/" + run + "/model.ilearner"));
            // the service itself still works
            assertThat(client.runToEnd(jobBody(data, uniqueRun())).get("StatusCode").asText()).isEqualTo("Finished");
            assertThat(forgetful.submittedJobCount()).isEqualTo(3);
        }
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
        try (AzureMlEmulator specified = testEmulator().faults("status:404x*").start()) {
            EmulatorHttp client = new EmulatorHttp(specified);
            String id = client.submitOk(jobBody(DATA_CONTAINER + "/x.csv", uniqueRun()));

            assertThat(client.status(id).statusCode()).isEqualTo(404);
            assertThat(client.status(id).statusCode()).isEqualTo(404);
            assertThat(specified.faults().firedCount(Operation.STATUS)).isEqualTo(2);
        }
    }
}

package org.camelazureml.retrain.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailCode;
import static org.camelazureml.retrain.emulator.EmulatorHttp.detailMessage;
import static org.camelazureml.retrain.emulator.EmulatorHttp.json;
import static org.camelazureml.retrain.emulator.EmulatorHttp.send;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.azure.core.util.BinaryData;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The training web service's BES protocol: submit, start, status, cancel, and the training itself. */
class TrainingServiceTest extends EmulatorTestSupport {

    static AzureMlEmulator emulator;
    static EmulatorHttp http;

    @BeforeAll
    static void startEmulator() {
        emulator = AzureMlEmulator.builder()
                .workspace("ws1")
                .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("train-key")
                        .inputPorts("input1").outputPorts("output1", "output2")
                        .requiredGlobalParameters().optionalGlobalParameters("Learning rate").build())
                .jobDuration(Duration.ofMillis(200))
                .start();
        http = new EmulatorHttp(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Nested
    class Calls {

        @Test
        void submitAnswersABareJsonStringJobIdAndLeavesTheJobNotStarted() {
            HttpResponse<String> response = http.submit(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(response.body()).matches("\"[0-9a-f]{32}\"");
            String id = json(response).asText();
            JsonNode status = http.statusJson(id);
            assertThat(status.get("StatusCode").asText()).isEqualTo("NotStarted");
            assertThat(status.get("Results").isNull()).isTrue();
            assertThat(status.get("Details").isNull()).isTrue();
            assertThat(emulator.job(id)).hasValueSatisfying(job -> assertThat(job.status()).isEqualTo(JobStatus.NOT_STARTED));
        }

        @Test
        void everyCallNeedsTheTrainingKey() {
            String id = http.submitOk(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));

            for (String key : new String[] {null, "wrong-key", "TRAIN-KEY"}) {
                HttpResponse<String> response = send("GET", http.jobUrl(id), key, null);
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(json(response).at("/error/code").asText()).isEqualTo("Unauthorized");
                assertThat(detailCode(response)).isEqualTo("ScoreRequestUnauthorized");
            }
            assertThat(send("POST", http.jobsUrl(), "wrong-key", jobBody("a/b.csv", "r").toString()).statusCode())
                    .isEqualTo(401);
            assertThat(send("DELETE", http.jobUrl(id), null, null).statusCode()).isEqualTo(401);
        }

        @Test
        void everyCallNeedsApiVersionTwoPointZero() {
            String id = http.submitOk(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));

            HttpResponse<String> missing = send("GET", emulator.trainingJobsUrl() + "/" + id, "train-key", null);
            HttpResponse<String> wrong = send("GET", emulator.trainingJobsUrl() + "/" + id + "?api-version=1.0",
                    "train-key", null);
            HttpResponse<String> twice = send("GET", emulator.trainingJobsUrl() + "/" + id
                    + "?api-version=2.0&api-version=2.0", "train-key", null);
            HttpResponse<String> submitWithout = send("POST", emulator.trainingJobsUrl(), "train-key",
                    jobBody("a/b.csv", "r").toString());

            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(detailCode(missing)).isEqualTo("MissingApiVersion");
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(detailCode(wrong)).isEqualTo("InvalidApiVersion");
            assertThat(twice.statusCode()).isEqualTo(400);
            assertThat(submitWithout.statusCode()).isEqualTo(400);
            assertThat(emulator.requests()).anySatisfy(request -> assertThat(request.path()).doesNotContain("train-key"));
        }

        @Test
        void bodyCallsNeedJsonContentType() {
            HttpResponse<String> response = EmulatorHttp.CLIENT.sendAsync(HttpRequest
                    .newBuilder(URI.create(http.jobsUrl()))
                    .header("Authorization", "Bearer train-key").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(jobBody("a/b.csv", "r").toString())).build(),
                    HttpResponse.BodyHandlers.ofString()).join();

            assertThat(response.statusCode()).isEqualTo(415);
        }

        @Test
        void startingTwiceIsCannotStartJob() {
            String id = http.submitOk(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));

            HttpResponse<String> first = http.start(id);
            HttpResponse<String> second = http.start(id);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEmpty();
            assertThat(second.statusCode()).isEqualTo(400);
            assertThat(json(second).at("/error/code").asText()).isEqualTo("InvalidOperation");
            assertThat(detailCode(second)).isEqualTo("CannotStartJob");
            assertThat(emulator.job(id).orElseThrow().startCount()).isEqualTo(2);
        }

        @Test
        void unknownJobsAndServicesAre404() {
            String unknown = "0123456789abcdef0123456789abcdef";
            assertThat(http.status(unknown).statusCode()).isEqualTo(404);
            assertThat(http.start(unknown).statusCode()).isEqualTo(404);
            assertThat(http.cancel(unknown).statusCode()).isEqualTo(404);
            assertThat(send("GET", emulator.baseUrl() + "/workspaces/ws1/services/other-svc/jobs/" + unknown
                    + "?api-version=2.0", "train-key", null).statusCode()).isEqualTo(404);
            assertThat(send("GET", emulator.baseUrl() + "/workspaces/other-ws/services/train-svc/jobs/" + unknown
                    + "?api-version=2.0", "train-key", null).statusCode()).isEqualTo(404);
            assertThat(send("PUT", http.jobUrl(unknown), "train-key", "{}").statusCode()).isEqualTo(405);
        }

        @Test
        void cancelStopsARunningJobAndNothingIsWritten() {
            String run = uniqueRun();
            ObjectNode body = jobBody(uploadData(linearCsv(50, 0.1, 1)), run);
            String id = http.submitOk(body);
            http.start(id);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> http.statusJson(id).get("StatusCode").asText().equals("Running"));

            HttpResponse<String> cancel = http.cancel(id);

            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(http.statusJson(id).get("StatusCode").asText()).isEqualTo("Cancelled");
            // the job would have finished after 200 ms; it must stay Cancelled and write nothing
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        assertThat(http.statusJson(id).get("StatusCode").asText()).isEqualTo("Cancelled");
                        assertThat(exists(MODEL_CONTAINER + "/" + run + "/model.ilearner")).isFalse();
                    });
            assertThat(emulator.job(id).orElseThrow().cancelCount()).isEqualTo(1);
        }

        @Test
        void cancelOfANotStartedJobCancelsIt() {
            String id = http.submitOk(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));

            assertThat(http.cancel(id).statusCode()).isEqualTo(200);
            assertThat(http.statusJson(id).get("StatusCode").asText()).isEqualTo("Cancelled");
            assertThat(detailCode(http.start(id))).isEqualTo("CannotStartJob");
        }
    }

    @Nested
    class SubmitValidation {

        final String input = DATA_CONTAINER + "/any.csv";

        HttpResponse<String> submit(ObjectNode body) {
            return http.submit(body);
        }

        void assertBadArgument(HttpResponse<String> response, String detailCode) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("BadArgument");
            assertThat(EmulatorHttp.detailCode(response)).isEqualTo(detailCode);
        }

        @Test
        void inputsAreRequired() {
            ObjectNode body = jobBody(input, uniqueRun());
            body.remove("Inputs");
            assertBadArgument(submit(body), "BatchJobInputsNotSpecified");

            body.putObject("Inputs");
            assertBadArgument(submit(body), "BatchJobInputsNotSpecified");
        }

        @Test
        void inputAndInputsTogetherAreAnError() {
            ObjectNode body = jobBody(input, uniqueRun());
            body.set("Input", connectionStringReference(input));
            assertBadArgument(submit(body), "InputAndInputsSpecified");
        }

        @Test
        void theOlderSingleInputFormIsAcceptedForAOneInputService() {
            ObjectNode body = jobBody(input, uniqueRun());
            body.set("Input", body.remove("Inputs").get("input1"));
            assertThat(submit(body).statusCode()).isEqualTo(200);
        }

        @Test
        void inputNamesAreCaseSensitive() {
            ObjectNode body = jobBody(input, uniqueRun());
            ObjectNode inputs = (ObjectNode) body.get("Inputs");
            inputs.set("Input1", inputs.remove("input1"));
            HttpResponse<String> response = submit(body);
            assertBadArgument(response, "InvalidInputNames");
            assertThat(detailMessage(response)).contains("'Input1'", "'input1'");
        }

        @Test
        void unknownOutputNamesAreInvalidOutputOverrideName() {
            ObjectNode body = jobBody(input, uniqueRun());
            ((ObjectNode) body.get("Outputs")).set("output3", connectionStringReference("models/x/y.csv"));
            assertBadArgument(submit(body), "InvalidOutputOverrideName");
        }

        @Test
        void everyOutputNeedsALocation() {
            ObjectNode body = jobBody(input, uniqueRun());
            ((ObjectNode) body.get("Outputs")).remove("output2");
            assertBadArgument(submit(body), "MissingRequiredOutputOverrides");
        }

        @Test
        void outputExtensionsAreChecked() {
            ObjectNode wrongExtension = jobBody(input, uniqueRun());
            ((ObjectNode) wrongExtension.get("Outputs")).set("output2", connectionStringReference("models/r/out.json"));
            assertBadArgument(submit(wrongExtension), "InvalidBlobExtension");

            ObjectNode modelAsCsv = jobBody(input, uniqueRun());
            ((ObjectNode) modelAsCsv.get("Outputs")).set("output1", connectionStringReference("models/r/model.csv"));
            HttpResponse<String> response = submit(modelAsCsv);
            assertBadArgument(response, "InvalidBlobExtension");
            assertThat(detailMessage(response)).contains(".ilearner");
        }

        @Test
        void requiredGlobalParametersMustBeSet() {
            try (AzureMlEmulator strict = AzureMlEmulator.builder().workspace("ws1")
                    .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("k")
                            .requiredGlobalParameters("Learning rate").build())
                    .start()) {
                EmulatorHttp strictHttp = new EmulatorHttp(strict);
                ObjectNode body = jobBody(input, uniqueRun());
                HttpResponse<String> missing = strictHttp.submit(body);
                assertBadArgument(missing, "MissingRequiredGlobalParameters");
                assertThat(detailMessage(missing)).contains("'Learning rate'");

                ((ObjectNode) body.get("GlobalParameters")).put("learning rate", "0.1");
                assertBadArgument(strictHttp.submit(body), "InvalidGlobalParameterNames");

                ((ObjectNode) body.get("GlobalParameters")).remove("learning rate");
                ((ObjectNode) body.get("GlobalParameters")).put("Learning rate", "0.1");
                assertThat(strictHttp.submit(body).statusCode()).isEqualTo(200);
            }
        }

        @Test
        void aBlobReferenceIsConnectionStringOrSasNeverBoth() {
            ObjectNode both = jobBody(input, uniqueRun());
            ((ObjectNode) both.at("/Inputs/input1")).put("BaseLocation", "http://127.0.0.1/devstoreaccount1/")
                    .put("SasBlobToken", "?sv=x&sig=y");
            assertBadArgument(submit(both), "InvalidBlobReference");

            ObjectNode sasWithoutToken = jobBody(input, uniqueRun());
            ((ObjectNode) sasWithoutToken.at("/Inputs/input1")).putNull("ConnectionString")
                    .put("BaseLocation", "http://127.0.0.1/devstoreaccount1/");
            assertBadArgument(submit(sasWithoutToken), "InvalidBlobReference");

            ObjectNode noContainer = jobBody("train.csv", uniqueRun());
            assertBadArgument(submit(noContainer), "InvalidBlobReference");

            ObjectNode lowerCaseField = jobBody(input, uniqueRun());
            ObjectNode reference = (ObjectNode) lowerCaseField.at("/Inputs/input1");
            reference.set("relativeLocation", reference.remove("RelativeLocation"));
            HttpResponse<String> response = submit(lowerCaseField);
            assertBadArgument(response, "UnknownField");
            assertThat(detailMessage(response)).contains("'relativeLocation'");
        }

        @Test
        void malformedJsonIsBadArgument() {
            HttpResponse<String> response = send("POST", http.jobsUrl(), "train-key", "{\"Inputs\": ");
            assertBadArgument(response, "InvalidRequestBody");
        }
    }

    @Nested
    class Training {

        @Test
        void aJobGoesNotStartedRunningFinishedAndItsModelDownloadsThroughTheSas() {
            String run = uniqueRun();
            String id = http.submitOk(jobBody(uploadData(linearCsv(100, 0.1, 7)), run));
            http.start(id);

            JsonNode status = http.awaitEnd(id);

            assertThat(status.get("StatusCode").asText()).as(status.toString()).isEqualTo("Finished");
            assertThat(status.get("Details").isNull()).isTrue();
            JsonNode model = status.at("/Results/output1");
            assertThat(model.get("ConnectionString").isNull()).isTrue();
            assertThat(model.get("RelativeLocation").asText()).isEqualTo(MODEL_CONTAINER + "/" + run + "/model.ilearner");
            assertThat(model.get("BaseLocation").asText()).isEqualTo(azurite.blobEndpoint() + "/");
            assertThat(model.get("SasBlobToken").asText()).startsWith("?").contains("sig=", "sp=r", "sr=b", "se=");
            HttpResponse<byte[]> download = EmulatorHttp.downloadResult(model);
            assertThat(download.statusCode()).isEqualTo(200);
            String document = new String(download.body(), StandardCharsets.UTF_8);
            assertThat(document).startsWith(LinearModel.MAGIC + "\n");
            LinearModel trained = LinearModel.parse(download.body());
            assertThat(trained.features()).containsExactly("a", "b");
            assertThat(trained.label()).isEqualTo("y");
            assertThat(trained.trainingRows()).isEqualTo(80);
            assertThat(trained.coefficients().get(0)).isCloseTo(2.0, within(0.05));
            assertThat(trained.coefficients().get(1)).isCloseTo(-3.0, within(0.05));

            JobSnapshot snapshot = emulator.job(id).orElseThrow();
            assertThat(snapshot.startedAt()).isNotNull();
            assertThat(snapshot.runningAt()).isAfterOrEqualTo(snapshot.startedAt());
            assertThat(snapshot.endedAt()).isAfter(snapshot.runningAt());
            assertThat(snapshot.outputs()).containsEntry("output1", MODEL_CONTAINER + "/" + run + "/model.ilearner");
        }

        @Test
        void theResultsSasIsReadOnly() {
            JsonNode status = http.runToEnd(jobBody(uploadData(linearCsv(50, 0.1, 7)), uniqueRun()));
            JsonNode model = status.at("/Results/output1");
            String url = model.get("BaseLocation").asText() + model.get("RelativeLocation").asText()
                    + model.get("SasBlobToken").asText();

            HttpResponse<String> write = EmulatorHttp.CLIENT.sendAsync(HttpRequest
                    .newBuilder(URI.create(url)).header("x-ms-blob-type", "BlockBlob")
                    .PUT(HttpRequest.BodyPublishers.ofString("overwritten")).build(),
                    HttpResponse.BodyHandlers.ofString()).join();

            assertThat(write.statusCode()).isEqualTo(403);
        }

        @Test
        void theSameDataGivesTheSameModelBytes() {
            String input = uploadData(linearCsv(60, 0.5, 3));
            String first = uniqueRun();
            String second = uniqueRun();
            http.runToEnd(jobBody(input, first));
            http.runToEnd(jobBody(input, second));

            assertThat(download(MODEL_CONTAINER + "/" + first + "/model.ilearner"))
                    .isEqualTo(download(MODEL_CONTAINER + "/" + second + "/model.ilearner"));
        }

        @Test
        void newDataAtTheSameLocationGivesANewModel() {
            String input = uploadData(linearCsv(60, 0.5, 3));
            String first = uniqueRun();
            http.runToEnd(jobBody(input, first));
            // the same blob, other rows: a job must train on what the blob holds now, not on what it parsed before
            String name = input.substring(input.indexOf('/') + 1);
            blobs.getBlobContainerClient(DATA_CONTAINER).getBlobClient(name)
                    .upload(BinaryData.fromBytes(linearCsv(60, 0.5, 4)), true);
            String second = uniqueRun();
            http.runToEnd(jobBody(input, second));
            String third = uniqueRun();
            http.runToEnd(jobBody(uploadData(linearCsv(60, 0.5, 4)), third));

            byte[] secondModel = download(MODEL_CONTAINER + "/" + second + "/model.ilearner");
            assertThat(secondModel).isNotEqualTo(download(MODEL_CONTAINER + "/" + first + "/model.ilearner"));
            assertThat(secondModel).isEqualTo(download(MODEL_CONTAINER + "/" + third + "/model.ilearner"));
        }

        @Test
        void cleanerDataGivesBetterMetrics() {
            String cleanJob = startJob(uploadData(linearCsv(200, 0.1, 11)));
            String noisyJob = startJob(uploadData(linearCsv(200, 5.0, 11)));

            String[] cleanMetrics = metrics(http.awaitEnd(cleanJob));
            String[] noisyMetrics = metrics(http.awaitEnd(noisyJob));

            assertThat(cleanMetrics[0]).isEqualTo("Mean Absolute Error,Root Mean Squared Error,Relative Absolute Error,"
                    + "Relative Squared Error,Coefficient of Determination");
            double[] c = values(cleanMetrics[1]);
            double[] n = values(noisyMetrics[1]);
            assertThat(c[0]).isLessThan(n[0]);   // mean absolute error
            assertThat(c[1]).isLessThan(n[1]);   // root mean squared error
            assertThat(c[4]).isGreaterThan(n[4]).isGreaterThan(0.99);   // coefficient of determination
        }

        private String[] metrics(JsonNode status) {
            assertThat(status.get("StatusCode").asText()).isEqualTo("Finished");
            HttpResponse<byte[]> download = EmulatorHttp.downloadResult(status.at("/Results/output2"));
            assertThat(download.statusCode()).isEqualTo(200);
            return new String(download.body(), StandardCharsets.UTF_8).split("\n");
        }

        private double[] values(String row) {
            return Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray();
        }

        @Test
        void aMissingInputBlobFailsTheJobWithHelpfulDetails() {
            JsonNode status = http.runToEnd(jobBody(DATA_CONTAINER + "/no-such-file.csv", uniqueRun()));

            assertThat(status.get("StatusCode").asText()).isEqualTo("Failed");
            assertThat(status.get("Results").isNull()).isTrue();
            assertThat(status.get("Details").asText()).contains("input1", "no-such-file.csv", "404", "BlobNotFound")
                    .doesNotContain("AccountKey");
        }

        @Test
        void badCsvFailsTheJobWithHelpfulDetails() {
            // three jobs in flight at once, then awaited
            String text = startJob(uploadData("a,b,y\n1,2,3\n1,x,3\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n"));
            String noHeader = startJob(uploadData("1,2,3\n1,2,3\n"));
            String tooShort = startJob(uploadData("a,b,y\n1,2,3\n"));

            JsonNode textStatus = http.awaitEnd(text);
            assertThat(textStatus.get("StatusCode").asText()).isEqualTo("Failed");
            assertThat(textStatus.get("Details").asText()).contains("line 3", "column 'b'", "'x' is not a number");
            assertThat(http.awaitEnd(noHeader).get("Details").asText()).contains("header");
            assertThat(http.awaitEnd(tooShort).get("Details").asText()).contains("at least 5");
        }

        private String startJob(String input) {
            String id = http.submitOk(jobBody(input, uniqueRun()));
            assertThat(http.start(id).statusCode()).isEqualTo(200);
            return id;
        }

        @Test
        void aBadConnectionStringFailsTheJobWithoutEchoingIt() {
            ObjectNode body = jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun());
            ((ObjectNode) body.at("/Inputs/input1")).put("ConnectionString", "AccountKey=c2VjcmV0;not a connection string");

            JsonNode status = http.runToEnd(body);

            assertThat(status.get("StatusCode").asText()).isEqualTo("Failed");
            assertThat(status.get("Details").asText()).contains("ConnectionString").doesNotContain("c2VjcmV0");
        }

        @Test
        void storageOffThisMachineIsRefusedWithoutAnyNetworkCall() {
            ObjectNode body = jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun());
            // a real account's shape: the emulator must not resolve or call it
            ((ObjectNode) body.at("/Inputs/input1")).put("ConnectionString",
                    "DefaultEndpointsProtocol=https;AccountName=someaccount;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net");

            JsonNode status = http.runToEnd(body);

            assertThat(status.get("StatusCode").asText()).isEqualTo("Failed");
            assertThat(status.get("Details").asText()).contains("not on this machine", "someaccount.blob.core.windows.net")
                    .doesNotContain("c2VjcmV0");
        }

        @Test
        void sasReferencesWorkForInputsAndOutputs() {
            String run = uniqueRun();
            String input = uploadData(linearCsv(50, 0.1, 5));
            String sas = "?" + blobs.generateAccountSas(new AccountSasSignatureValues(
                    OffsetDateTime.now().plusHours(1),
                    AccountSasPermission.parse("rwc"),
                    AccountSasService.parse("b"),
                    AccountSasResourceType.parse("sco")));
            ObjectNode body = jobBody(input, run);
            for (String pointer : new String[] {"/Inputs/input1", "/Outputs/output1", "/Outputs/output2"}) {
                ObjectNode reference = (ObjectNode) body.at(pointer);
                reference.putNull("ConnectionString").put("BaseLocation", azurite.blobEndpoint() + "/")
                        .put("SasBlobToken", sas);
            }

            JsonNode status = http.runToEnd(body);

            assertThat(status.get("StatusCode").asText()).as(status.toString()).isEqualTo("Finished");
            assertThat(download(MODEL_CONTAINER + "/" + run + "/model.ilearner")).startsWith(
                    LinearModel.MAGIC.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Nested
    class OutputTiming {

        /**
         * Training runs while the job runs and the outputs are written in its last quarter: the job is Finished at
         * its job time with its outputs already in storage, and a job cancelled before then has written nothing.
         */
        @Test
        void theOutputsAreWrittenInTheLastQuarterAndExistWhenTheJobTurnsFinished() throws InterruptedException {
            Duration jobTime = Duration.ofSeconds(2);
            try (AzureMlEmulator timed = testEmulator().jobDuration(jobTime).start()) {
                EmulatorHttp timedHttp = new EmulatorHttp(timed);
                String run = uniqueRun();
                String id = timedHttp.submitOk(jobBody(uploadData(linearCsv(100, 0.1, 7)), run));
                timedHttp.start(id);
                String model = MODEL_CONTAINER + "/" + run + "/model.ilearner";
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> timed.job(id).orElseThrow().runningAt() != null);
                Instant runningAt = timed.job(id).orElseThrow().runningAt();

                // half way through the job: trained, nothing written yet
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), runningAt.plus(jobTime.dividedBy(2))).toMillis()));
                assertThat(timedHttp.statusJson(id).get("StatusCode").asText()).isEqualTo("Running");
                assertThat(exists(model)).isFalse();

                // the first status that says Finished: the outputs are there
                JsonNode finished = null;
                while (finished == null) {
                    JsonNode status = timedHttp.statusJson(id);
                    assertThat(status.get("StatusCode").asText()).isIn("Running", "Finished");
                    if (status.get("StatusCode").asText().equals("Finished")) {
                        finished = status;
                    }
                }
                assertThat(exists(model)).isTrue();
                JobSnapshot snapshot = timed.job(id).orElseThrow();
                assertThat(Duration.between(snapshot.runningAt(), snapshot.endedAt()))
                        .isGreaterThanOrEqualTo(jobTime).isLessThan(jobTime.plusSeconds(1));
            }
        }
    }

    @Nested
    class IntegerStatusCodes {

        @Test
        void statusCodesCanBeIntegers() {
            try (AzureMlEmulator numeric = AzureMlEmulator.builder().workspace("ws1")
                    .trainingService(TrainingServiceSpec.builder("train-svc").apiKey("k").build())
                    .jobDuration(Duration.ofMillis(200)).integerStatusCodes(true).start()) {
                EmulatorHttp numericHttp = new EmulatorHttp(numeric);
                String id = numericHttp.submitOk(jobBody(uploadData(linearCsv(50, 0.1, 1)), uniqueRun()));
                assertThat(numericHttp.statusJson(id).get("StatusCode").isInt()).isTrue();
                assertThat(numericHttp.statusJson(id).get("StatusCode").asInt()).isZero();

                numericHttp.start(id);
                JsonNode finished = await().atMost(Duration.ofSeconds(10))
                        .until(() -> numericHttp.statusJson(id), status -> status.get("StatusCode").asInt() == 4);
                assertThat(finished.get("Results").has("output1")).isTrue();
            }
        }
    }

    /**
     * Many jobs at once: the emulator holds no thread per job, so hundreds of concurrent submissions
     * all run to Finished on a handful of threads. (Load numbers belong to the benchmarks, not here.)
     */
    @Nested
    class ConcurrentJobs {

        private static final int JOBS = 200;

        @Test
        void hundredsOfConcurrentJobsAllFinish() {
            try (AzureMlEmulator busy = testEmulator().jobDuration(Duration.ofMillis(300)).start()) {
                EmulatorHttp busyHttp = new EmulatorHttp(busy);
                String input = uploadData(linearCsv(50, 0.1, 1));
                long threadsBefore = serverSideThreads();

                List<CompletableFuture<String>> submitted = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    submitted.add(post(busyHttp.jobsUrl(), jobBody(input, uniqueRun()).toString())
                            .thenCompose(response -> {
                                String id = response.body().replace("\"", "");
                                return post(busy.trainingJobsUrl() + "/" + id + "/start?api-version=2.0", null)
                                        .thenApply(started -> id);
                            }));
                }
                CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).join();

                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() ->
                        busy.jobs().stream().allMatch(job -> job.status().isTerminal()));
                assertThat(busy.jobs()).hasSize(JOBS).allSatisfy(job ->
                        assertThat(job.status()).as(job.details() == null ? job.id() : job.details())
                                .isEqualTo(JobStatus.FINISHED));
                assertThat(busy.submittedJobCount()).isEqualTo(JOBS);
                // a bounded pool, not a thread per job
                assertThat(serverSideThreads() - threadsBefore).isLessThan(100);
            }
        }

        /**
         * Live threads but the test client's: the JDK client's default executor is a cached pool that grows with
         * the machine's load, which says nothing about the emulator.
         */
        private static long serverSideThreads() {
            return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.getName().startsWith("HttpClient-"))
                    .count();
        }

        private CompletableFuture<HttpResponse<String>> post(String url, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer train-key");
            if (body != null) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.POST(HttpRequest.BodyPublishers.noBody());
            }
            return EmulatorHttp.CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        return response;
                    });
        }
    }
}

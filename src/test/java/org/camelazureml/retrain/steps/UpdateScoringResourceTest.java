package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.OffsetDateTime;

import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import org.apache.camel.Exchange;
import org.camelazureml.retrain.azureml.AzureMlCallException;
import org.camelazureml.retrain.emulator.EmulatorLauncher;
import org.camelazureml.retrain.emulator.Operation;
import org.camelazureml.retrain.emulator.ServedModel;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.support.StepTestSupport;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;

class UpdateScoringResourceTest extends StepTestSupport {

    private RetrainRun fetchedRun(String runId) throws Exception {
        RetrainRun run = newRun(runId);
        runUntilJobEnds(run);
        new FetchTrainedModel(resources, camel).process(exchangeFor(run));
        new CheckQualityGate(resources).process(exchangeFor(run));
        return run;
    }

    @Test
    void pointsTheEndpointAtTheModelWithAFreshSasAndConfirmsIt() throws Exception {
        startPipeline();
        RetrainRun run = fetchedRun("run-update-1");

        new UpdateScoringResource(resources, new RetryPolicy(resources)).process(exchangeFor(run));

        ServedModel served = emulator.servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow();
        assertThat(served.sha256()).isEqualTo(run.getModels().get(0).sha256());
        assertThat(served.relativeLocation()).isEqualTo("models/run-update-1/model.ilearner");
        RetrainRun.EndpointUpdate update = stored(run).getUpdates().get(0);
        assertThat(update.confirmed()).isTrue();
        assertThat(update.resourceName()).isEqualTo(pipeline().scoring().endpoint("default").trainedModelName());
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.DONE);
    }

    @Test
    void withOnlyASasInTheConnectionStringTheJobsFreshSasIsUsed() throws Exception {
        TestAzureMl.blobs().createBlobContainerIfNotExists("models"); // a SAS-form output does not create it
        String accountSas = TestAzureMl.blobs().generateAccountSas(new AccountSasSignatureValues(
                OffsetDateTime.now().plusHours(1), AccountSasPermission.parse("rwlc"),
                new AccountSasService().setBlobAccess(true),
                new AccountSasResourceType().setService(true).setContainer(true).setObject(true)));
        startPipeline(b -> { }, p -> p.put("retrain.storage.connection-string",
                "BlobEndpoint=" + TestAzureMl.azurite().blobEndpoint() + ";SharedAccessSignature=" + accountSas));
        assertThat(pipeline().storage().hasAccountKey()).isFalse();
        RetrainRun run = fetchedRun("run-update-sas");
        int statusCallsBefore = statusCalls();

        new UpdateScoringResource(resources, new RetryPolicy(resources)).process(exchangeFor(run));

        assertThat(statusCalls()).isEqualTo(statusCallsBefore + 1);
        assertThat(emulator.servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT).orElseThrow().sha256())
                .isEqualTo(run.getModels().get(0).sha256());
    }

    private int statusCalls() {
        return (int) emulator.requests().stream().filter(r -> r.operation() == Operation.STATUS).count();
    }

    @Test
    void aNameThatIsNotAnUpdatableResourceIsRecordedAsTheEndpointsFailureWithTheAzureError() throws Exception {
        startPipeline(b -> { }, p -> p.put("retrain.scoring.trained-model-name", "Bike Model [trained model]"));
        RetrainRun run = fetchedRun("run-update-2");

        new UpdateScoringResource(resources, new RetryPolicy(resources)).process(exchangeFor(run));

        RetrainRun.EndpointUpdate update = stored(run).getUpdates().get(0);
        assertThat(update.status()).isEqualTo(RetrainRun.UpdateStatus.FAILED);
        assertThat(update.error()).startsWith("update scoring resource failed: HTTP 400")
                .contains("Retrained Model [trained model]")
                .contains("Check: retrain.scoring.trained-model-name must equal");
        assertThat(emulator.servedModel(EmulatorLauncher.UPDATABLE_ENDPOINT)).isEmpty();
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.DONE);
    }

    @Test
    void patchingTheTrainingServiceIsExplained() throws Exception {
        startPipeline(b -> { }, p -> p.put("retrain.scoring.update-resource-endpoint",
                p.get("retrain.scoring.update-resource-endpoint").replace("/webservices/" + EmulatorLauncher.SCORING_SERVICE,
                        "/webservices/" + EmulatorLauncher.TRAINING_SERVICE)));
        RetrainRun run = fetchedRun("run-update-3");

        new UpdateScoringResource(resources, new RetryPolicy(resources)).process(exchangeFor(run));

        assertThat(stored(run).getUpdates().get(0).error()).contains("no updatable resources")
                .contains("Check: retrain.scoring.update-resource-endpoint points at the training web service");
    }

    @Test
    void aTransientFailureIsLeftToTheRoutesRetry() throws Exception {
        startPipeline(b -> b.faults("update:503"), p -> { });
        RetrainRun run = fetchedRun("run-update-4");

        AzureMlCallException e = catchThrowableOfType(AzureMlCallException.class,
                () -> new UpdateScoringResource(resources, new RetryPolicy(resources)).process(exchangeFor(run)));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(stored(run).getUpdates()).isEmpty();
    }

    @Test
    void aGatePassIsRecordedBeforeAnyEndpointIsUpdated() throws Exception {
        startPipeline(b -> { }, p -> {
            p.put("retrain.gate.metric", "Coefficient of Determination");
            p.put("retrain.gate.metrics-output", EmulatorLauncher.METRICS_PORT);
            p.put("retrain.gate.better", "higher");
            p.put("retrain.gate.threshold", "0.1");
        });
        RetrainRun run = newRun("run-update-gate");
        runUntilJobEnds(run);
        new FetchTrainedModel(resources, camel).process(exchangeFor(run));
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.GATE);

        new CheckQualityGate(resources).process(exchangeFor(run));

        RetrainRun recorded = stored(run);
        assertThat(recorded.getStep()).isEqualTo(PipelineStep.UPDATE);
        assertThat(recorded.getGate().passed()).isTrue();
        assertThat(recorded.getUpdates()).isEmpty();
    }
}

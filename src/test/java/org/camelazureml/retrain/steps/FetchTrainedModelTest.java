package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import com.azure.storage.blob.models.BlobHttpHeaders;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.support.StepTestSupport;
import org.camelazureml.retrain.support.TestAzureMl;
import org.junit.jupiter.api.Test;

class FetchTrainedModelTest extends StepTestSupport {

    @Test
    void archivesTheModelWithTheBlobsSha256() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-fetch-1");
        runUntilJobEnds(run);

        new FetchTrainedModel(resources, camel).process(exchangeFor(run));

        RetrainRun.ModelRecord model = stored(run).getModels().get(0);
        Path archived = dataDir.resolve("models/default/run-fetch-1/output1.ilearner");
        assertThat(model.archivePath()).isEqualTo(archived.toString());
        assertThat(model.relativeLocation()).isEqualTo("models/run-fetch-1/model.ilearner");
        assertThat(model.sha256()).isEqualTo(TestAzureMl.blobSha256("models/run-fetch-1/model.ilearner"))
                .isEqualTo(TestAzureMl.sha256(archived));
        assertThat(model.sizeBytes()).isEqualTo(Files.size(archived)).isPositive();
        assertThat(stored(run).getStep()).isEqualTo(PipelineStep.GATE);
        assertThat(archived.resolveSibling("output1.ilearner.part")).doesNotExist();
    }

    @Test
    void aMissingModelFailsTheRunAndArchivesNothing() throws Exception {
        startPipeline(b -> b.faults("model:missing"), p -> { });
        RetrainRun run = newRun("run-fetch-2");
        runUntilJobEnds(run);

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new FetchTrainedModel(resources, camel).process(exchangeFor(run)));

        assertThat(e.getMessage()).contains("blob models/run-fetch-2/model.ilearner answered HTTP 404")
                .contains("reported Finished but the model is not there");
        assertThat(dataDir.resolve("models/default/run-fetch-2")).isEmptyDirectory();
        assertThat(stored(run).getModels()).isEmpty();
    }

    @Test
    void anEmptyModelIsNeverPassedOn() throws Exception {
        startPipeline(b -> b.faults("model:empty"), p -> { });
        RetrainRun run = newRun("run-fetch-3");
        runUntilJobEnds(run);

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new FetchTrainedModel(resources, camel).process(exchangeFor(run)));

        assertThat(e.getMessage()).contains("is empty (0 bytes); it will not be deployed");
        assertThat(dataDir.resolve("models/default/run-fetch-3")).isEmptyDirectory();
    }

    @Test
    void aModelThatDoesNotMatchItsContentMd5IsRejected() throws Exception {
        startPipeline();
        RetrainRun run = newRun("run-fetch-4");
        runUntilJobEnds(run);
        TestAzureMl.blobs().getBlobContainerClient("models").getBlobClient("run-fetch-4/model.ilearner")
                .setHttpHeaders(new BlobHttpHeaders().setContentMd5(new byte[16]).setContentType("application/octet-stream"));

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new FetchTrainedModel(resources, camel).process(exchangeFor(run)));

        assertThat(e.getMessage()).contains("does not match its Content-MD5").contains("will not be deployed");
        assertThat(dataDir.resolve("models/default/run-fetch-4")).isEmptyDirectory();
    }
}

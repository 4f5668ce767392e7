package org.camelazureml.retrain.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
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

    @Test
    void aModelLargerThanAChunkIsCheckedAgainstItsContentMd5Too() throws Exception {
        startPipeline();
        RetrainRun good = newRun("run-fetch-5");
        runUntilJobEnds(good);
        byte[] large = replaceModel("run-fetch-5/model.ilearner", true);

        new FetchTrainedModel(resources, camel).process(exchangeFor(good));

        assertThat(stored(good).getModels().get(0).sha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(large)));

        RetrainRun bad = newRun("run-fetch-6");
        runUntilJobEnds(bad);
        replaceModel("run-fetch-6/model.ilearner", false);

        RunFailedException e = catchThrowableOfType(RunFailedException.class,
                () -> new FetchTrainedModel(resources, camel).process(exchangeFor(bad)));

        assertThat(e.getMessage()).contains("does not match its Content-MD5");
        assertThat(dataDir.resolve("models/default/run-fetch-6")).isEmptyDirectory();
    }

    /** A 3 MiB model (several chunks of the archive writer) in place of the job's, with a right or a wrong Content-MD5. */
    private static byte[] replaceModel(String blobName, boolean rightMd5) throws Exception {
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new Random(blobName.hashCode()).nextBytes(large);
        BlobClient blob = TestAzureMl.blobs().getBlobContainerClient("models").getBlobClient(blobName);
        blob.upload(BinaryData.fromBytes(large), true);
        blob.setHttpHeaders(new BlobHttpHeaders().setContentType("application/octet-stream")
                .setContentMd5(rightMd5 ? MessageDigest.getInstance("MD5").digest(large) : new byte[16]));
        return large;
    }
}

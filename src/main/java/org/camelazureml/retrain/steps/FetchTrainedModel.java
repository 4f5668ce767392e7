package org.camelazureml.retrain.steps;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.storage.blob.models.BlobStorageException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Endpoint;
import org.apache.camel.component.azure.storage.blob.BlobComponent;
import org.apache.camel.component.azure.storage.blob.BlobConfiguration;
import org.apache.camel.component.azure.storage.blob.BlobConstants;
import org.apache.camel.component.azure.storage.blob.BlobEndpoint;
import org.apache.camel.component.azure.storage.blob.BlobOperationsDefinition;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.ObjectHelper;
import org.camelazureml.retrain.config.PipelineConfig;
import org.camelazureml.retrain.config.Redaction;
import org.camelazureml.retrain.gate.EvaluationMetrics;
import org.camelazureml.retrain.state.PipelineStep;
import org.camelazureml.retrain.state.RetrainRun;
import org.camelazureml.retrain.storage.BlobLocation;
import org.camelazureml.retrain.storage.HashingFileOutputStream;
import org.camelazureml.retrain.storage.ModelFetchException;
import org.camelazureml.retrain.storage.ModelStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the trained {@code .ilearner} from Blob storage (camel-azure-storage-blob, {@code getBlob} into an
 * output stream) into the model archive, {@code <archive.dir>/<pipeline>/<runId>/<port>.ilearner}, hashing it on
 * the way. The model is verified before the run moves on: not empty, and equal to the blob's Content-MD5 when the
 * blob has one. The file appears under its final name only once complete (written as {@code .part}, then renamed).
 */
public class FetchTrainedModel extends RunStep {

    private static final Logger LOG = LoggerFactory.getLogger(FetchTrainedModel.class);

    private final CamelContext camel;
    private final ProducerTemplate template;
    private final Map<String, Endpoint> blobEndpoints = new ConcurrentHashMap<>();

    public FetchTrainedModel(PipelineResources resources, CamelContext camel) {
        super(resources);
        this.camel = camel;
        this.template = camel.createProducerTemplate();
    }

    @Override
    protected void execute(RetrainRun run, PipelineConfig pipeline, Exchange exchange) throws IOException {
        if (run.getStep() != PipelineStep.FETCH) {
            return;
        }
        Path dir = pipeline.archiveDir().resolve(run.getPipeline()).resolve(run.getRunId());
        Files.createDirectories(dir);
        List<String> outputs = pipeline.training().modelOutputs();
        boolean evaluationPending = pipeline.hasGate() && run.getMetrics() == null;
        for (int i = 0; i < outputs.size(); i++) {
            String output = outputs.get(i);
            if (run.model(output) == null) { // not archived before a retry or a restart
                run.getModels().add(archive(run, output, dir));
                // so that a retry or a restart does not download it again; the last download is recorded below
                if (i < outputs.size() - 1 || evaluationPending) {
                    saveProgress(run);
                }
            }
        }
        if (evaluationPending) {
            RetrainRun.ModelRecord evaluation = archive(run, pipeline.gate().metricsOutput(), dir);
            try {
                run.setMetrics(EvaluationMetrics.read(Path.of(evaluation.archivePath())));
            } catch (IllegalArgumentException e) {
                throw new RunFailedException("fetch trained model: " + e.getMessage() + "; check retrain.gate.metrics-output");
            }
        }
        run.enter(PipelineStep.GATE, resources.clock().instant());
        saveProgress(run); // undone by a crash, the models are fetched again (the archive is written anew)
    }

    /** One output, streamed into {@code <dir>/<output><extension>} via a {@code .part} file, hashed and verified. */
    private RetrainRun.ModelRecord archive(RetrainRun run, String output, Path dir) throws IOException {
        BlobLocation blob = BlobLocation.parse(run.getOutputs().get(output));
        String name = blob.blobName();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        Path target = dir.resolve(output + extension);
        Path partial = dir.resolve(output + extension + ".part");

        long started = System.nanoTime();
        // a model larger than one chunk asks (once, beside the download) whether its MD5 is worth computing
        HashingFileOutputStream out = new HashingFileOutputStream(partial, () -> hasContentMd5(run, blob));
        BlobHeaders headers;
        try (out) {
            headers = download(run, blob, out);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        String sha256 = out.sha256Hex();
        verify(blob, out, headers, partial);
        moveIntoPlace(partial, target);
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        LOG.info("Fetched {} ({} bytes in {} ms) to {}, sha256 {}", blob, out.size(), millis, target, sha256);
        return new RetrainRun.ModelRecord(output, blob.relativeLocation(), target.toString(), out.size(), sha256);
    }

    private BlobHeaders download(RetrainRun run, BlobLocation blob, HashingFileOutputStream out) {
        Endpoint endpoint = blobEndpoints.computeIfAbsent(run.getPipeline(), this::blobEndpoint);
        Exchange reply = template.send(endpoint, request -> {
            request.getMessage().setHeader(BlobConstants.BLOB_CONTAINER_NAME, blob.container());
            request.getMessage().setHeader(BlobConstants.BLOB_NAME, blob.blobName());
            request.getMessage().setBody(out);
        });
        Exception failure = reply.getException();
        if (failure == null) {
            return BlobHeaders.of(reply.getMessage().getHeader(BlobConstants.RAW_HTTP_HEADERS, HttpHeaders.class));
        }
        if (out.writeFailure() != null) {
            throw new RunFailedException("fetch trained model: cannot write the model archive: "
                    + out.writeFailure().getMessage() + " (check retrain.archive.dir and free disk space)");
        }
        throw fetchFailure(blob, failure);
    }

    /**
     * Whether the blob has a stored MD5 (one HEAD request, made only for a model larger than one 1 MiB chunk, while
     * its download goes on): computing an MD5 costs twice the SHA-256's CPU (1.2 against 0.6 s per GiB), and large
     * blobs uploaded in blocks usually have none to compare with. A smaller model always gets its MD5 and needs no
     * request: with a thousand pipelines fetching at once, each request to the storage account counts.
     */
    private boolean hasContentMd5(RetrainRun run, BlobLocation blob) {
        try {
            byte[] md5 = resources.storage(run.getPipeline()).client().getBlobContainerClient(blob.container())
                    .getBlobClient(blob.blobName()).getProperties().getContentMd5();
            return md5 != null && md5.length > 0;
        } catch (RuntimeException e) {
            throw fetchFailure(blob, e);
        }
    }

    private static RuntimeException fetchFailure(BlobLocation blob, Exception failure) {
        BlobStorageException storage = ObjectHelper.getException(BlobStorageException.class, failure);
        if (storage != null && !ModelFetchException.isTransientStatus(storage.getStatusCode())) {
            return new RunFailedException("fetch trained model failed: blob " + blob + " answered HTTP "
                    + storage.getStatusCode() + " " + storage.getErrorCode()
                    + (storage.getStatusCode() == 404 ? " (the training job reported Finished but the model is not"
                            + " there; check retrain.training.outputs and retrain.training.model-output)" : ""));
        }
        // storage busy or the connection broke (the SDK already retried within the call): start the fetch over
        return new ModelFetchException("fetch trained model failed: blob " + blob + ": "
                + (storage != null ? "HTTP " + storage.getStatusCode() + " " + storage.getErrorCode()
                        : Redaction.redact(String.valueOf(failure.getMessage()))),
                storage == null ? 0 : storage.getStatusCode(), failure);
    }

    /** What the download's headers say about the blob: its stored MD5 and its length. */
    private record BlobHeaders(byte[] contentMd5, Long contentLength) {

        static BlobHeaders of(HttpHeaders headers) {
            if (headers == null) {
                return new BlobHeaders(null, null);
            }
            String length = headers.getValue(HttpHeaderName.CONTENT_LENGTH);
            return new BlobHeaders(storedMd5(headers), length == null ? null : Long.valueOf(length.trim()));
        }
    }

    /**
     * The blob's stored MD5 from the download's raw headers: the component's own ContentMD5 header stays empty for
     * downloads, so read {@code x-ms-blob-content-md5} (whole-blob MD5) or {@code Content-MD5}. Null when the
     * blob has none (common for large blobs uploaded in blocks).
     */
    private static byte[] storedMd5(HttpHeaders headers) {
        String value = headers.getValue(HttpHeaderName.fromString("x-ms-blob-content-md5"));
        if (value == null) {
            value = headers.getValue(HttpHeaderName.CONTENT_MD5);
        }
        try {
            return value == null || value.isBlank() ? null : Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * One camel-azure-storage-blob endpoint per pipeline, given that pipeline's {@code BlobServiceClient} directly.
     * Binding the client in the registry instead would let Camel autowire it into a host application's own
     * azure-storage-blob component.
     */
    private Endpoint blobEndpoint(String pipeline) {
        ModelStorage storage = resources.storage(pipeline);
        BlobComponent component = camel.getComponent("azure-storage-blob", BlobComponent.class);
        BlobConfiguration configuration = component.getConfiguration().copy();
        configuration.setAccountName(storage.connection().accountName());
        configuration.setServiceClient(storage.client());
        configuration.setOperation(BlobOperationsDefinition.getBlob);
        BlobEndpoint endpoint = new BlobEndpoint("azure-storage-blob://" + storage.connection().accountName(),
                component, configuration);
        ServiceHelper.startService(endpoint);
        return endpoint;
    }

    /** Not empty, as long as the blob says it is, and equal to its Content-MD5 when it has one. */
    private static void verify(BlobLocation blob, HashingFileOutputStream out, BlobHeaders headers, Path partial)
            throws IOException {
        String problem = null;
        byte[] contentMd5 = headers.contentMd5();
        byte[] md5 = out.md5();
        if (out.size() == 0) {
            problem = "is empty (0 bytes)";
        } else if (headers.contentLength() != null && headers.contentLength() != out.size()) {
            problem = "arrived with " + out.size() + " bytes but the blob has " + headers.contentLength()
                    + ": the download is incomplete";
        } else if (contentMd5 != null && contentMd5.length > 0 && md5 == null) {
            Files.deleteIfExists(partial);
            throw new ModelFetchException("fetch trained model: blob " + blob + " gained a Content-MD5 while it was"
                    + " fetched; fetching it again", 0, null);
        } else if (contentMd5 != null && contentMd5.length > 0 && !MessageDigest.isEqual(contentMd5, md5)) {
            problem = "does not match its Content-MD5 (" + Base64.getEncoder().encodeToString(contentMd5)
                    + "): the download is corrupt";
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            throw new RunFailedException("trained model " + blob + " " + problem + "; it will not be deployed");
        }
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

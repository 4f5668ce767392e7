package org.camelazureml.retrain.storage;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import org.camelazureml.retrain.config.StorageConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline's storage account: the {@link BlobServiceClient} the camel-azure-storage-blob endpoint uses, the
 * BaseLocation Azure ML expects, and fresh read-only SAS tokens for a single blob.
 */
public class ModelStorage {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStorage.class);

    private final StorageConnection connection;
    private volatile BlobServiceClient client;
    private final AtomicReference<CompletableFuture<Void>> prepared = new AtomicReference<>();

    public ModelStorage(StorageConnection connection) {
        this.connection = connection;
    }

    public StorageConnection connection() {
        return connection;
    }

    /** Built on first use: creating the SDK client loads a lot of classes that a run may not need yet. */
    public BlobServiceClient client() {
        BlobServiceClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    // Netty's network buffers go to the model's stream as they are: by default azure-core copies
                    // each into a new heap array first (a 1 GiB model made 1 GiB of garbage, and the copy was 40 %
                    // of the network thread's CPU). Safe because nothing keeps a buffer after it is handed on: the
                    // model's stream copies it into its own chunk, and the SDK collects error and small bodies into
                    // arrays of its own.
                    client = new BlobServiceClientBuilder().connectionString(connection.connectionString().reveal())
                            .httpClient(new NettyAsyncHttpClientBuilder().disableBufferCopy(true).build())
                            .buildClient();
                }
                current = client;
            }
        }
        return current;
    }

    /**
     * Builds the client and makes one real request (does the model output container exist?), once per account, in
     * the background. A fresh JVM's first storage request costs seconds (the SDK's set-up, the first connection, the
     * JIT's first pass over the HTTP path): the pipeline calls this when a training job starts, so that cost is paid
     * while the job runs instead of inside the model fetch. A failure is only logged: the fetch reports its own.
     */
    public CompletableFuture<Void> prepare(String modelContainer) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> existing = prepared.compareAndExchange(null, started);
        if (existing != null) {
            return existing;
        }
        // whether the container exists does not matter here (the job may create it): the request is what warms up
        CompletableFuture.runAsync(() -> client().getBlobContainerClient(modelContainer).exists()).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("Could not reach the storage account of the trained models while the job runs: {}",
                        failure.getMessage());
            }
            started.complete(null);
        });
        return started;
    }

    public String baseLocation() {
        return connection.baseLocation();
    }

    /**
     * A read-only SAS scoped to one blob, valid from now for {@code validity}, as Azure ML wants it (leading
     * {@code ?}). Empty when the connection string holds no account key to sign with.
     */
    public Optional<String> readOnlySas(BlobLocation blob, Duration validity) {
        if (!connection.hasAccountKey()) {
            return Optional.empty();
        }
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plus(validity), new BlobSasPermission().setReadPermission(true))
                // a little slack for clocks that run ahead of the storage service's
                .setStartTime(OffsetDateTime.now().minusMinutes(5));
        String token = client().getBlobContainerClient(blob.container()).getBlobClient(blob.blobName())
                .generateSas(values);
        return Optional.of("?" + token);
    }
}

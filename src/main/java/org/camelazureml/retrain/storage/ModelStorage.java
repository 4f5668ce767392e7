package org.camelazureml.retrain.storage;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import org.camelazureml.retrain.config.StorageConnection;

/**
 * One pipeline's storage account: the {@link BlobServiceClient} the camel-azure-storage-blob endpoint uses, the
 * BaseLocation Azure ML expects, and fresh read-only SAS tokens for a single blob.
 */
public class ModelStorage {

    private final StorageConnection connection;
    private volatile BlobServiceClient client;

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
                    client = new BlobServiceClientBuilder().connectionString(connection.connectionString().reveal())
                            .buildClient();
                }
                current = client;
            }
        }
        return current;
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

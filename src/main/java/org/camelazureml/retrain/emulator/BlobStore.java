package org.camelazureml.retrain.emulator;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

/**
 * Reads and writes job blobs with the credentials the client sent (its connection string or its
 * SAS), and makes the read-only SAS a finished job reports. Failures come back as
 * {@link JobFailure}s whose text names the blob and the storage error code, never a secret.
 */
final class BlobStore {

    private static final RequestRetryOptions RETRY = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, 30,
            100L, 2000L, null);

    /** Big blobs: blocks of 4 MiB, four in flight, anything over one block is staged in blocks. */
    static final int BLOCK_SIZE = 4 * 1024 * 1024;
    private static final ParallelTransferOptions BLOCKS = new ParallelTransferOptions()
            .setBlockSizeLong((long) BLOCK_SIZE).setMaxSingleUploadSizeLong((long) BLOCK_SIZE).setMaxConcurrency(4);

    /** One Netty client for every account, so thousands of jobs share one connection pool. */
    private final HttpClient httpClient = new NettyAsyncHttpClientBuilder().build();
    /** Keyed by connection string; holds the account key in memory only. */
    private final Map<String, BlobServiceClient> accounts = new ConcurrentHashMap<>();
    /** Containers already created or found, as account URL + "/" + container: one call per container, not per write. */
    private final Set<String> knownContainers = ConcurrentHashMap.newKeySet();
    private final boolean allowRemoteStorage;

    BlobStore(boolean allowRemoteStorage) {
        this.allowRemoteStorage = allowRemoteStorage;
    }

    byte[] read(BlobReference reference, String what) throws JobFailure {
        BlobClient blob = blobClient(reference, what);
        try {
            return blob.downloadContent().toBytes();
        } catch (RuntimeException e) {
            throw new JobFailure(what + " (" + reference.relativeLocation() + ") could not be read: " + describe(e, blob));
        }
    }

    void write(BlobReference reference, byte[] content, String what) throws JobFailure {
        write(reference, what, blob -> blob.upload(BinaryData.fromBytes(content), true));
    }

    /**
     * Writes {@code content} followed by {@code padding} bytes of {@code filler}, streamed to storage in
     * blocks of {@value #BLOCK_SIZE} bytes (a few in flight at once): the whole blob is never in memory,
     * so the padding may be a GiB.
     */
    void writePadded(BlobReference reference, byte[] content, long padding, byte filler, String what)
            throws JobFailure {
        InputStream data = new SequenceInputStream(new ByteArrayInputStream(content),
                new FillerInputStream(padding, filler));
        BlobParallelUploadOptions upload = new BlobParallelUploadOptions(data, content.length + padding)
                .setParallelTransferOptions(BLOCKS);
        write(reference, what, blob -> blob.uploadWithResponse(upload, null, Context.NONE));
    }

    private void write(BlobReference reference, String what, Consumer<BlobClient> upload) throws JobFailure {
        BlobClient blob = blobClient(reference, what);
        try {
            if (reference.usesConnectionString()) {
                BlobContainerClient container = account(reference, what).getBlobContainerClient(reference.container());
                if (!knownContainers.contains(container.getBlobContainerUrl())) {
                    container.createIfNotExists();
                    knownContainers.add(container.getBlobContainerUrl());
                }
            }
            upload.accept(blob);
        } catch (RuntimeException e) {
            throw new JobFailure(what + " (" + reference.relativeLocation() + ") could not be written: "
                    + describe(e, blob));
        }
    }

    /**
     * Where the client can read an output: the account's blob URL + "/", the relative location, and
     * a fresh read-only blob SAS. A SAS reference cannot mint a new SAS, so its own token is reported.
     */
    ResultLocation locate(BlobReference reference, Duration sasValidity, String what) throws JobFailure {
        if (!reference.usesConnectionString()) {
            return new ResultLocation(reference.baseLocation(), reference.relativeLocation(), reference.sasBlobToken());
        }
        BlobClient blob = blobClient(reference, what);
        String sas;
        try {
            sas = blob.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(sasValidity),
                    new BlobSasPermission().setReadPermission(true)));
        } catch (RuntimeException e) {
            // e.g. a ConnectionString that holds a SharedAccessSignature, not an AccountKey, cannot sign
            throw new JobFailure(what + ": cannot sign a read SAS for the result with this ConnectionString (it has"
                    + " no AccountKey); give the output as BaseLocation + RelativeLocation + SasBlobToken instead");
        }
        return new ResultLocation(account(reference, what).getAccountUrl() + "/", reference.relativeLocation(), "?" + sas);
    }

    private BlobClient blobClient(BlobReference reference, String what) throws JobFailure {
        BlobClient blob = unguardedBlobClient(reference, what);
        if (!allowRemoteStorage && !LocalHosts.isLoopback(blob.getAccountUrl())) {
            throw new JobFailure(what + ": " + LocalHosts.refusal(blob.getAccountUrl()));
        }
        return blob;
    }

    private BlobClient unguardedBlobClient(BlobReference reference, String what) throws JobFailure {
        if (reference.usesConnectionString()) {
            return account(reference, what).getBlobContainerClient(reference.container())
                    .getBlobClient(reference.blobName());
        }
        try {
            return new BlobClientBuilder().endpoint(reference.baseLocation()).sasToken(reference.sasBlobToken())
                    .containerName(reference.container()).blobName(reference.blobName())
                    .httpClient(httpClient).retryOptions(RETRY).buildClient();
        } catch (RuntimeException e) {
            throw new JobFailure(what + ": BaseLocation/SasBlobToken do not form a usable blob URL ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private BlobServiceClient account(BlobReference reference, String what) throws JobFailure {
        try {
            return accounts.computeIfAbsent(reference.connectionString(), connectionString ->
                    new BlobServiceClientBuilder().connectionString(connectionString)
                            .httpClient(httpClient).retryOptions(RETRY).buildClient());
        } catch (RuntimeException e) {
            // the SDK's message may quote the connection string: it is not passed on
            throw new JobFailure(what + ": ConnectionString is not a valid storage connection string"
                    + " (expected DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...)");
        }
    }

    /** {@code length} copies of one byte, produced as they are read. */
    private static final class FillerInputStream extends InputStream {
        private final byte filler;
        private long left;

        FillerInputStream(long length, byte filler) {
            this.left = length;
            this.filler = filler;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return filler & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, buffer.length);
            if (length == 0) {
                return 0;
            }
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + n, filler);
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, left);
        }
    }

    private static String describe(RuntimeException e, BlobClient blob) {
        if (e instanceof BlobStorageException storage) {
            String code = storage.getErrorCode() == null ? "" : " " + storage.getErrorCode();
            String hint = switch (storage.getStatusCode()) {
                case 404 -> " - the container or blob does not exist";
                case 403 -> " - the storage account refused the credentials (wrong key, or a SAS that is expired or "
                        + "lacks the permission)";
                default -> "";
            };
            return "storage answered " + storage.getStatusCode() + code + hint;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "could not connect to the storage service at " + blob.getAccountUrl();
            }
        }
        return e.getClass().getSimpleName() + " while talking to " + blob.getAccountUrl();
    }
}

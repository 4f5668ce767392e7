package org.camelazureml.retrain.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Downloads a model the way the scoring service does at PATCH time: a plain GET of
 * BaseLocation + RelativeLocation + SasBlobToken, no account key. Non-blocking; the blob is hashed
 * as it streams and only its first {@value #PREFIX_LIMIT} bytes are kept (enough for any model the
 * emulator writes).
 */
final class ModelDownloader {

    static final int PREFIX_LIMIT = 1 << 20;

    /** The outcome: HTTP status and storage error code, and for a 200 the hash, size and first bytes. */
    record Download(int status, String errorCode, String sha256, long size, byte[] prefix) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    CompletableFuture<Download> download(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        return client.sendAsync(request, info -> {
            String errorCode = info.headers().firstValue("x-ms-error-code").orElse(null);
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(new Download(info.statusCode(), errorCode, null, 0, null));
            }
            HashingSubscriber hashing = new HashingSubscriber();
            return HttpResponse.BodySubscribers.fromSubscriber(hashing, HashingSubscriber::result);
        }).thenApply(HttpResponse::body);
    }

    private static final class HashingSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final MessageDigest digest = sha256();
        private byte[] prefix = new byte[0];
        private long size;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                size += buffer.remaining();
                int keep = Math.min(buffer.remaining(), PREFIX_LIMIT - prefix.length);
                if (keep > 0) {
                    int offset = prefix.length;
                    prefix = Arrays.copyOf(prefix, offset + keep);
                    buffer.duplicate().get(prefix, offset, keep);
                }
                digest.update(buffer);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // the response future fails with it
        }

        @Override
        public void onComplete() {
        }

        Download result() {
            return new Download(200, null, HexFormat.of().formatHex(digest.digest()), size, prefix);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

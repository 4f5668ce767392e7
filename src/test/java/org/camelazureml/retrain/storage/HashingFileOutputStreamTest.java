package org.camelazureml.retrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingFileOutputStreamTest {

    @TempDir
    Path dir;

    @Test
    void writesAndHashesExactlyTheBytesGivenAcrossChunkBoundaries() throws Exception {
        byte[] data = new byte[3 * HashingFileOutputStream.CHUNK_BYTES + 12_345];
        new Random(1).nextBytes(data);
        Path file = dir.resolve("model.part");

        HashingFileOutputStream out = new HashingFileOutputStream(file, true);
        try (out) {
            int offset = 0;
            for (int step = 1; offset < data.length; step = step * 3 % 70_001 + 1) { // odd, varying write sizes
                int n = Math.min(step, data.length - offset);
                out.write(data, offset, n);
                offset += n;
            }
            out.write(data, 0, 0);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(out.size()).isEqualTo(data.length);
        assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void buffersWrittenToItsChannelAreCopiedAsTheyComeAndHashedLikeBytes() throws Exception {
        byte[] data = new byte[2 * HashingFileOutputStream.CHUNK_BYTES + 54_321];
        new Random(2).nextBytes(data);
        Path file = dir.resolve("model.part");
        // one reused direct buffer, as a network library hands its pooled buffers on
        ByteBuffer network = ByteBuffer.allocateDirect(65_536);

        HashingFileOutputStream out = new HashingFileOutputStream(file, true);
        try (out) {
            assertThat(out).as("what azure-core checks before handing buffers on as they are")
                    .isInstanceOf(FileOutputStream.class);
            FileChannel channel = out.getChannel();
            for (int offset = 0; offset < data.length; ) {
                int n = Math.min(network.capacity() - 7, data.length - offset);
                network.clear().put(data, offset, n).flip();
                assertThat(channel.write(network)).isEqualTo(n);
                assertThat(network.hasRemaining()).isFalse();
                offset += n;
                assertThat(channel.position()).isEqualTo(offset);
            }
            network.clear().put(new byte[network.capacity()]); // reused: must not change what was written
            assertThatThrownBy(() -> channel.write(network, 0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("only appends");
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void largerThanAChunkComputesNoMd5UnlessTheAnswerIsYes() throws Exception {
        byte[] data = new byte[HashingFileOutputStream.CHUNK_BYTES + 3];
        new Random(4).nextBytes(data);
        AtomicInteger asked = new AtomicInteger();
        Path file = dir.resolve("model.part");
        HashingFileOutputStream out = new HashingFileOutputStream(file, () -> asked.incrementAndGet() < 0);
        try (out) {
            out.write(data);
        }

        assertThat(asked).hasValue(1);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(out.md5()).isNull();
        assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void anAnswerThatCanComeOnlyAfterTheWritesHoldsNoneOfThemUp() throws Exception {
        byte[] data = new byte[(HashingFileOutputStream.CHUNKS + 3) * HashingFileOutputStream.CHUNK_BYTES + 99];
        new Random(5).nextBytes(data);
        CountDownLatch written = new CountDownLatch(1);
        // like a request on a connection of the network thread that is writing: it answers once the writes are done
        BooleanSupplier answerAfterTheWrites = () -> {
            try {
                return written.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Path file = dir.resolve("model.part");
        HashingFileOutputStream out = new HashingFileOutputStream(file, answerAfterTheWrites);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> out.write(data),
                "the writes waited for the answer about the MD5");
        written.countDown();
        out.close();

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(out.md5()).as("computed from the first chunk on, while the answer was not in")
                .isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void withinOneChunkTheMd5IsAlwaysComputedWithoutAsking() throws Exception {
        Path file = dir.resolve("model.part");
        HashingFileOutputStream out = new HashingFileOutputStream(file, () -> {
            throw new AssertionError("a small model needs no question");
        });
        try (out) {
            out.write(new byte[] {1, 2, 3});
        }

        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3); // a direct write is padded, then truncated
        assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(new byte[] {1, 2, 3}));
    }

    @Test
    void aQuestionThatFailsCountsAsYes() throws Exception {
        byte[] data = new byte[2 * HashingFileOutputStream.CHUNK_BYTES];
        new Random(5).nextBytes(data);
        HashingFileOutputStream out = new HashingFileOutputStream(dir.resolve("model.part"), () -> {
            throw new IllegalStateException("storage unreachable");
        });
        try (out) {
            out.write(data);
        }

        assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void aModelThatFitsInOneChunkIsWrittenByTheCallerWithoutAThread() throws Exception {
        byte[] data = new byte[HashingFileOutputStream.CHUNK_BYTES - 7];
        new Random(3).nextBytes(data);
        Path file = dir.resolve("small.part");
        HashingFileOutputStream out = new HashingFileOutputStream(file, true);
        try (out) {
            out.write(data, 0, 1000);
            out.write(data, 1000, data.length - 1000);
            assertThat(threadsOf("small.part")).isZero();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void aDiskErrorWritingASmallModelFailsItsClose() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with "No space left on device"
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        HashingFileOutputStream out = new HashingFileOutputStream(full, false);
        out.write(new byte[] {1, 2, 3});

        IOException e = catchThrowableOfType(IOException.class, out::close);

        assertThat(e).isNotNull().isSameAs(out.writeFailure());
    }

    /** Live threads of the stream writing that file (they are named after it). */
    private static long threadsOf(String fileName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().endsWith("-" + fileName)).count();
    }

    @Test
    void writesThroughThePageCacheWhereDirectWritesAreRefused() throws Exception {
        Path tmpfs = Path.of("/dev/shm"); // tmpfs refuses O_DIRECT
        assumeTrue(Files.isDirectory(tmpfs) && Files.isWritable(tmpfs), "needs /dev/shm (Linux)");
        Path file = Files.createTempFile(tmpfs, "model", ".part");
        byte[] data = new byte[HashingFileOutputStream.CHUNK_BYTES + 5];
        new Random(2).nextBytes(data);
        try {
            HashingFileOutputStream out = new HashingFileOutputStream(file, true);
            try (out) {
                out.write(data);
            }

            assertThat(Files.readAllBytes(file)).isEqualTo(data);
            assertThat(out.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aDiskErrorOnTheWriterThreadFailsTheCallersWritesAndIsKept() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with "No space left on device"
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        HashingFileOutputStream out = new HashingFileOutputStream(full, false);
        byte[] chunk = new byte[HashingFileOutputStream.CHUNK_BYTES];

        IOException e = catchThrowableOfType(IOException.class, () -> {
            for (int i = 0; i < 64; i++) { // the writer fails on the first chunk; the caller learns it soon after
                out.write(chunk);
            }
        });

        assertThat(e).isNotNull().isSameAs(out.writeFailure());
        assertThat(catchThrowableOfType(IOException.class, out::close)).isSameAs(e);
    }
}

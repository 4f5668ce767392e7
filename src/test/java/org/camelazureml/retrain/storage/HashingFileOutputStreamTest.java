package org.camelazureml.retrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

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

        HashingFileOutputStream out = new HashingFileOutputStream(file, true, -1);
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
    void anExpectedSizeOnlySizesTheBuffers_moreOrFewerBytesAreStillWrittenExactly() throws Exception {
        byte[] data = new byte[100_000];
        new Random(2).nextBytes(data);
        for (long expected : new long[] {0, 1, 4_096, data.length, 10L << 30}) {
            Path file = dir.resolve("model-" + expected + ".part");
            HashingFileOutputStream out = new HashingFileOutputStream(file, false, expected);
            try (out) {
                out.write(data, 0, 70_000);
                out.write(data, 70_000, data.length - 70_000);
            }

            assertThat(Files.readAllBytes(file)).as("expected %d", expected).isEqualTo(data);
            assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(data)));
        }
    }

    @Test
    void computesNoMd5UnlessAsked() throws Exception {
        HashingFileOutputStream out = new HashingFileOutputStream(dir.resolve("model.part"), false, -1);
        try (out) {
            out.write(new byte[] {1, 2, 3});
        }

        assertThat(out.md5()).isNull();
        assertThat(out.sha256Hex()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3})));
    }

    @Test
    void aDiskErrorOnTheWriterThreadFailsTheCallersWritesAndIsKept() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with "No space left on device"
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        HashingFileOutputStream out = new HashingFileOutputStream(full, false, -1);
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

package org.camelazureml.retrain.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes a file while computing its SHA-256 (and MD5, when asked: only a blob with a Content-MD5 needs it) and
 * counting its bytes, so the bytes hashed are exactly the bytes archived and a model is never held whole in memory.
 *
 * <p>The caller's thread (the storage SDK's network thread) only copies into 1 MiB chunks; a writer thread of this
 * stream hashes them and writes them to the file, so reading the network, hashing and writing the disk overlap. At
 * most {@value #CHUNKS} chunks exist (a few MiB of heap whatever the model's size), made as they are needed and no
 * larger than the expected size: a small model costs a small buffer (a thousand fetches of 1 MiB chunks each would
 * be a thousand "humongous" allocations for the garbage collector). {@link #close()} waits for the
 * writer and forces the file to disk; it may be called more than once (the blob producer closes the stream it was
 * given, and so do we).
 */
public class HashingFileOutputStream extends OutputStream {

    static final int CHUNK_BYTES = 1 << 20;
    static final int CHUNKS = 4;
    private static final Filled END = new Filled(new byte[0], 0);

    private final FileChannel file;
    private final MessageDigest sha256;
    private final MessageDigest md5;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Filled> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread writer;
    private final int chunkBytes;
    private int chunksMade;
    private byte[] chunk;
    private int filled;
    private long size;
    private boolean closed;
    private volatile IOException writeFailure;

    public HashingFileOutputStream(Path path) throws IOException {
        this(path, true, -1);
    }

    /**
     * @param withMd5 also compute the MD5 (to compare with a blob's Content-MD5)
     * @param expectedBytes the size the data should have, or negative when unknown: only sizes the buffers, any
     *        amount may be written
     */
    public HashingFileOutputStream(Path path, boolean withMd5, long expectedBytes) throws IOException {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.md5 = withMd5 ? MessageDigest.getInstance("MD5") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256 or MD5", e);
        }
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.chunkBytes = expectedBytes < 0 ? CHUNK_BYTES : (int) Math.max(1, Math.min(CHUNK_BYTES, expectedBytes));
        this.writer = new Thread(this::writeChunks, "model-writer-" + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (length > 0) {
            failIfWriteFailed();
            if (chunk == null) {
                chunk = nextFreeChunk();
                filled = 0;
            }
            int n = Math.min(length, chunk.length - filled);
            System.arraycopy(bytes, offset, chunk, filled, n);
            filled += n;
            offset += n;
            length -= n;
            size += n;
            if (filled == chunk.length) {
                handOver();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (chunk != null && filled > 0) {
                handOver();
            }
            put(END);
            writer.join();
            failIfWriteFailed();
            file.force(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
            throw new InterruptedIOException("interrupted while writing the model");
        } finally {
            file.close();
        }
    }

    /** A recycled chunk, a new one while fewer than {@value #CHUNKS} exist, else wait for the writer to free one. */
    private byte[] nextFreeChunk() throws IOException {
        byte[] recycled = free.poll();
        if (recycled != null) {
            return recycled;
        }
        if (chunksMade < CHUNKS) {
            chunksMade++;
            return new byte[chunkBytes];
        }
        return take(free);
    }

    private void handOver() throws IOException {
        put(new Filled(chunk, filled));
        chunk = null;
        filled = 0;
    }

    private void put(Filled filled) throws IOException {
        try {
            full.put(filled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the model");
        }
    }

    private byte[] take(BlockingQueue<byte[]> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the model");
        }
    }

    /** The writer thread: hash and write each chunk in order; after a write error only recycle (nothing blocks). */
    private void writeChunks() {
        try {
            while (true) {
                Filled next = full.take();
                if (next == END) {
                    return;
                }
                byte[] bytes = next.bytes();
                int length = next.length();
                if (writeFailure == null) {
                    try {
                        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
                        while (buffer.hasRemaining()) {
                            file.write(buffer);
                        }
                        sha256.update(bytes, 0, length);
                        if (md5 != null) {
                            md5.update(bytes, 0, length);
                        }
                    } catch (IOException e) {
                        writeFailure = e;
                    }
                }
                free.put(bytes);
            }
        } catch (InterruptedException e) {
            writeFailure = new InterruptedIOException("interrupted while writing the model");
        }
    }

    /** A chunk ready for the writer: its first {@code length} bytes are data. */
    private record Filled(byte[] bytes, int length) {
    }

    private void failIfWriteFailed() throws IOException {
        IOException failure = writeFailure;
        if (failure != null) {
            throw failure;
        }
    }

    /** The local write error (disk full, permissions), if writing failed: not the network's fault. */
    public IOException writeFailure() {
        return writeFailure;
    }

    public long size() {
        return size;
    }

    /** Hex SHA-256 of everything written; call once, after {@link #close()}. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** MD5 of everything written, or null when not asked for; call once, after {@link #close()}. */
    public byte[] md5() {
        return md5 == null ? null : md5.digest();
    }
}

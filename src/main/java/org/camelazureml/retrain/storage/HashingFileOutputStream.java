package org.camelazureml.retrain.storage;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes a file while computing its SHA-256 (and its MD5: always for data within one chunk, where it costs next to
 * nothing; for more only when asked, since only a blob with a Content-MD5 needs one) and
 * counting its bytes, so the bytes hashed are exactly the bytes archived and a model is never held whole in memory.
 *
 * <p>The caller's thread (the storage SDK's network thread) only copies into 1 MiB chunks; a writer thread of this
 * stream (started with the second chunk: a smaller model is hashed and written by the caller when it closes the
 * stream) hashes them and writes them to the file, so reading the network, hashing and writing the disk overlap (the
 * MD5 on a thread of its own: it costs twice the SHA-256's CPU, so in series it would halve the pace). Whether the MD5
 * of a larger model is wanted is asked on a thread of its own too, and the MD5 is computed until the answer is no:
 * the question may be a request over the very connections whose network thread waits for the writer to free a chunk,
 * so the writer never waits for it. At
 * most {@value #CHUNKS} chunks exist per stream (a few MiB whatever the model's size). {@link #close()} waits for
 * the writer and forces the file to disk; it may be called more than once (the blob producer closes the stream it
 * was given, and so do we).
 *
 * <p>The file is written with {@code O_DIRECT} where the file system accepts it, from page-aligned native chunks:
 * an archived model is written once and not read back soon, so the page cache only adds cost. Through the page
 * cache, a 1 GiB model cost 0.17 to 1.8 s of kernel CPU to fill freshly allocated cache pages (on a VM returning
 * free memory to its host, pages not touched for a few seconds are slow to touch again) and 0.25 to 1.3 s of
 * {@code force} at the end; written directly it is on the disk as it arrives and the final {@code force} only
 * flushes the metadata (bench/notes/fetch.md). Elsewhere (tmpfs) it is written through the page cache.
 *
 * <p>It is a {@link FileOutputStream} only so that azure-core writes the network's buffers to it as they are: for a
 * {@code FileOutputStream} it writes each buffer to {@link #getChannel()}, for any other stream it first copies each
 * into a new heap array (1 GiB of garbage for a 1 GiB model). Its file descriptor is never opened; every method
 * that would use it is overridden, and the channel it returns only appends to this stream.
 */
public class HashingFileOutputStream extends FileOutputStream {

    static final int CHUNK_BYTES = 1 << 20;
    static final int CHUNKS = 4;
    /** Direct writes need buffers, file positions and lengths aligned to the file system's block (4 KiB or less). */
    private static final int ALIGNMENT = 4096;
    /**
     * Chunks of finished streams, kept for the next ones (at most this many): native memory allocated per stream
     * would only be freed by a garbage collection.
     */
    private static final BlockingQueue<ByteBuffer> IDLE_CHUNKS = new ArrayBlockingQueue<>(16);
    private static final Filled END = new Filled(ByteBuffer.allocate(0));

    private final FileChannel file;
    private final boolean direct;
    private final MessageDigest sha256;
    private final BooleanSupplier md5ForLargeData;
    /**
     * Made by the caller for data within one chunk, else by the writer thread, which drops it (between chunks) when
     * the answer is no.
     */
    private MessageDigest md5;
    private final String threadSuffix;
    /** Started with the second chunk: a model that fits in one chunk is hashed and written by the caller at close. */
    private ExecutorService md5Thread;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Filled> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private Thread writer;
    private int chunksTaken;
    private ByteBuffer chunk;
    private long size;
    private boolean closed;
    private volatile IOException writeFailure;
    private final FileChannel appender = new Appender();

    public HashingFileOutputStream(Path path) throws IOException {
        this(path, true);
    }

    /** @param withMd5 also compute the MD5 of data larger than one chunk (to compare with a blob's Content-MD5) */
    public HashingFileOutputStream(Path path, boolean withMd5) throws IOException {
        this(path, () -> withMd5);
    }

    /**
     * @param md5ForLargeData asked once, on a thread of its own, when the data turns out larger than one chunk:
     *        whether to compute the MD5 too (it may make a request, e.g. whether the blob has a Content-MD5; it runs
     *        while the download goes on, and the MD5 is computed until it answers no). A failure counts as yes.
     */
    public HashingFileOutputStream(Path path, BooleanSupplier md5ForLargeData) throws IOException {
        super(new FileDescriptor()); // not opened: see the class comment
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest.getInstance("MD5"); // fails here, not later on the writer thread, if the JVM lacks it
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256 or MD5", e);
        }
        this.md5ForLargeData = md5ForLargeData;
        FileChannel directFile = openDirect(path);
        this.direct = directFile != null;
        this.file = direct ? directFile : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.threadSuffix = String.valueOf(path.getFileName());
    }

    /**
     * The writer thread (and the MD5's), once a model turns out larger than a chunk: a small model needs no threads,
     * which matters when a thousand pipelines fetch at about the same time.
     */
    private void startWriter() {
        writer = new Thread(this::writeChunks, "model-writer-" + threadSuffix);
        writer.setDaemon(true);
        writer.start();
    }

    /** The file opened for {@code O_DIRECT} writes, or null when its file system does not take them. */
    private static FileChannel openDirect(Path path) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
            if (ALIGNMENT % Files.getFileStore(path).getBlockSize() == 0) {
                return channel;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (or a real error, which the ordinary open reports)
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing was written through it
        }
        return null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        append(ByteBuffer.wrap(bytes));
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        append(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The channel azure-core writes the network's buffers to: it appends them to this stream. */
    @Override
    public FileChannel getChannel() {
        return appender;
    }

    /** Copies what {@code data} has left into the chunks (so the caller may reuse it at once) and consumes it. */
    private synchronized void append(ByteBuffer data) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (data.hasRemaining()) {
            failIfWriteFailed();
            if (chunk == null) {
                chunk = nextFreeChunk();
            }
            int n = Math.min(data.remaining(), chunk.remaining());
            chunk.put(chunk.position(), data, data.position(), n);
            chunk.position(chunk.position() + n);
            data.position(data.position() + n);
            size += n;
            if (!chunk.hasRemaining()) {
                handOver();
            }
        }
    }

    /**
     * Synchronized with the writes: a download that is given up on (an interrupt) may still be writing from the
     * network thread, and must not fill a chunk that this hands back to the shared pool.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean writerDone = false;
        try {
            if (writer == null) { // all of it fits in one chunk: hash and write it here
                md5 = newMd5();
                if (chunk != null && chunk.position() > 0) {
                    writeChunk(chunk.flip());
                }
            } else {
                if (chunk != null && chunk.position() > 0) {
                    handOver();
                }
                put(END);
                writer.join();
            }
            writerDone = true;
            failIfWriteFailed();
            if (direct && size % ALIGNMENT != 0) {
                file.truncate(size); // the last direct write was padded to a whole block
            }
            file.force(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (writer != null) {
                writer.interrupt();
            }
            throw new InterruptedIOException("interrupted while writing the model");
        } finally {
            file.close();
            if (writerDone) {
                releaseChunks();
            }
        }
    }

    /** A free chunk of this stream; a new one (up to {@value #CHUNKS}) before waiting for the writer to free one. */
    private ByteBuffer nextFreeChunk() throws IOException {
        ByteBuffer next = free.poll();
        if (next == null && chunksTaken < CHUNKS) {
            chunksTaken++;
            next = IDLE_CHUNKS.poll();
            return next != null ? next : ByteBuffer.allocateDirect(CHUNK_BYTES + ALIGNMENT).alignedSlice(ALIGNMENT)
                    .slice(0, CHUNK_BYTES);
        }
        return next != null ? next : take(free);
    }

    private void releaseChunks() {
        List<ByteBuffer> chunks = new ArrayList<>(CHUNKS);
        free.drainTo(chunks);
        if (chunk != null) {
            chunks.add(chunk);
            chunk = null;
        }
        for (ByteBuffer released : chunks) {
            IDLE_CHUNKS.offer(released.clear());
        }
    }

    private void handOver() throws IOException {
        if (writer == null) {
            startWriter();
        }
        put(new Filled(chunk));
        chunk = null;
    }

    private void put(Filled filled) throws IOException {
        try {
            full.put(filled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the model");
        }
    }

    private ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the model");
        }
    }

    /** The writer thread: hash and write each chunk in order; after a write error only recycle (nothing blocks). */
    private void writeChunks() {
        CompletableFuture<Boolean> md5Wanted = new CompletableFuture<>();
        Thread question = new Thread(() -> {
            try {
                md5Wanted.complete(wantsMd5());
            } finally {
                md5Wanted.complete(true); // if the question threw an Error (no-op once answered)
            }
        }, "model-md5-question-" + threadSuffix);
        question.setDaemon(true);
        question.start();
        md5 = newMd5();
        md5Thread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "model-md5-" + threadSuffix);
            thread.setDaemon(true);
            return thread;
        });
        try {
            writeChunksInOrder(md5Wanted);
        } finally {
            if (md5Thread != null) {
                md5Thread.shutdownNow();
            }
        }
    }

    private void writeChunksInOrder(CompletableFuture<Boolean> md5Wanted) {
        try {
            while (true) {
                Filled next = full.take();
                if (next == END) { // the writes are done, so waiting for the answer holds nothing up
                    if (md5 != null && !md5Wanted.get()) {
                        md5 = null;
                    }
                    return;
                }
                if (md5 != null && Boolean.FALSE.equals(md5Wanted.getNow(null))) {
                    md5 = null; // not wanted: stop computing it (no MD5 task runs between chunks)
                }
                ByteBuffer data = next.chunk().flip();
                writeChunk(data);
                free.put(data.clear());
            }
        } catch (InterruptedException e) {
            writeFailure = new InterruptedIOException("interrupted while writing the model");
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /**
     * Hashes and writes one chunk (its data between position and limit); a failure is kept in {@link #writeFailure}
     * and later chunks are only recycled. The MD5 runs beside the SHA-256 when its thread exists.
     */
    private void writeChunk(ByteBuffer data) throws InterruptedException {
        if (writeFailure != null) {
            return;
        }
        try {
            ByteBuffer forMd5 = data.duplicate();
            MessageDigest chunkMd5 = md5;
            Future<?> md5Done = chunkMd5 == null || md5Thread == null ? null
                    : md5Thread.submit(() -> chunkMd5.update(forMd5));
            if (chunkMd5 != null && md5Done == null) { // one chunk in all, hashed by the caller
                chunkMd5.update(forMd5);
            }
            sha256.update(data.duplicate());
            if (direct) { // only the last chunk can be partial: pad it to a whole block
                data.limit((data.limit() + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
            }
            while (data.hasRemaining()) {
                file.write(data);
            }
            if (md5Done != null) {
                md5Done.get(); // before the chunk is refilled
            }
        } catch (IOException e) {
            writeFailure = e;
        } catch (ExecutionException e) {
            writeFailure = new IOException("computing the MD5 failed", e.getCause());
        }
    }

    /** A chunk ready for the writer: the bytes before its position are data. */
    /**
     * What {@link #getChannel()} returns: a channel that can only append to this stream (position and size are the
     * bytes written so far). Closing it does nothing; closing the stream ends the file.
     */
    private final class Appender extends FileChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            append(src);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public long position() {
            return size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        protected void implCloseChannel() {
        }

        @Override
        public int read(ByteBuffer dst) {
            throw appendOnly();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw appendOnly();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw appendOnly();
        }

        @Override
        public FileChannel truncate(long newSize) {
            throw appendOnly();
        }

        @Override
        public void force(boolean metaData) {
            throw appendOnly();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw appendOnly();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw appendOnly();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw appendOnly();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw appendOnly();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw appendOnly();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw appendOnly();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw appendOnly();
        }

        private UnsupportedOperationException appendOnly() {
            return new UnsupportedOperationException("a model archive's stream only appends; close the stream to"
                    + " finish the file");
        }
    }

    private record Filled(ByteBuffer chunk) {
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

    private boolean wantsMd5() {
        try {
            return md5ForLargeData.getAsBoolean();
        } catch (RuntimeException e) {
            return true; // the MD5 costs CPU, not correctness: compute it and let the caller compare if it can
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks MD5", e); // checked in the constructor
        }
    }

    /**
     * MD5 of everything written, or null when it was not computed (data larger than a chunk, and not asked for);
     * call once, after {@link #close()}.
     */
    public byte[] md5() {
        return md5 == null ? null : md5.digest();
    }
}

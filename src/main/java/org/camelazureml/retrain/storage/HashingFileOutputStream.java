package org.camelazureml.retrain.storage;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a file while computing its SHA-256 and MD5 and counting its bytes, so the bytes hashed are exactly the
 * bytes archived and a model is never held whole in memory. {@link #close()} forces the file to disk; it may be
 * called more than once (the blob producer closes the stream it was given, and so do we).
 */
public class HashingFileOutputStream extends OutputStream {

    private final FileOutputStream file;
    private final MessageDigest sha256;
    private final MessageDigest md5;
    private long size;
    private boolean closed;
    private IOException writeFailure;

    public HashingFileOutputStream(Path path) throws IOException {
        this.file = new FileOutputStream(path.toFile());
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            file.close();
            throw new IllegalStateException("the JVM lacks SHA-256 or MD5", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            file.write(bytes, offset, length);
        } catch (IOException e) {
            writeFailure = e;
            throw e;
        }
        sha256.update(bytes, offset, length);
        md5.update(bytes, offset, length);
        size += length;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.getFD().sync();
        } finally {
            file.close();
        }
    }

    /** The local write error (disk full, permissions), if writing failed: not the network's fault. */
    public IOException writeFailure() {
        return writeFailure;
    }

    public long size() {
        return size;
    }

    /** Hex SHA-256 of everything written; call once, after the last write. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** MD5 of everything written, to compare with a blob's Content-MD5; call once, after the last write. */
    public byte[] md5() {
        return md5.digest();
    }
}

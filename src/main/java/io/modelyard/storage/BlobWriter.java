package io.modelyard.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * A streaming write to one blob. Bytes are hashed (SHA-256) and counted as they pass; the blob appears only
 * on {@link #commit()}. Closing without committing, an exception while writing, or going past the byte
 * limit aborts the write and leaves nothing behind. Not thread-safe: one writer, one thread.
 */
public abstract class BlobWriter extends OutputStream {

    private final String key;
    private final long maxBytes;
    private final MessageDigest digest;
    private final byte[] one = new byte[1];
    private long size;
    private boolean finished;

    protected BlobWriter(String key, long maxBytes) {
        this(key, maxBytes, true);
    }

    /**
     * @param hashed compute the content's SHA-256; false only for a writer whose caller hashes the content itself
     *               (see {@link BlobStore#openWriterWithoutDigest})
     */
    protected BlobWriter(String key, long maxBytes, boolean hashed) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0");
        }
        this.key = key;
        this.maxBytes = maxBytes;
        this.digest = hashed ? Sha256.newDigest() : null;
    }

    public final String key() {
        return key;
    }

    /** Bytes written so far. */
    public final long size() {
        return size;
    }

    @Override
    public final void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("Blob write to " + key + " is already finished");
        }
        if (len <= 0) {
            return;
        }
        if (size + len > maxBytes) {
            abort();
            throw new BlobTooLargeException(maxBytes);
        }
        try {
            writeContent(b, off, len);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        if (digest != null) {
            digest.update(b, off, len);
        }
        size += len;
    }

    /** Makes the blob visible under its key and returns what was stored (no digest if not hashed). */
    public final BlobInfo commit() throws IOException {
        if (finished) {
            throw new IOException("Blob write to " + key + " is already finished");
        }
        try {
            commitContent();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        finished = true;
        return new BlobInfo(key, size, digest == null ? null : Sha256.hex(digest.digest()));
    }

    /** Discards everything written; safe to call more than once. */
    public final void abort() {
        if (finished) {
            return;
        }
        finished = true;
        abortContent();
    }

    /** Aborts unless committed. */
    @Override
    public final void close() {
        abort();
    }

    /** The blob has not been finished (committed or aborted) yet. */
    public final boolean isOpen() {
        return !finished;
    }

    protected abstract void writeContent(byte[] b, int off, int len) throws IOException;

    protected abstract void commitContent() throws IOException;

    /** Must not throw: best effort cleanup of partial content. */
    protected abstract void abortContent();
}

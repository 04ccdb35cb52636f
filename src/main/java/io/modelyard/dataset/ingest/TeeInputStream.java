package io.modelyard.dataset.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.modelyard.storage.BlobTooLargeException;

/**
 * Copies every byte read from the upload to the raw blob as it passes, so the upload is read only once, and
 * refuses the upload at the byte that crosses its size limit (the copy may lag behind on another thread).
 */
final class TeeInputStream extends FilterInputStream {

    private final OutputStream copy;
    private final long maxBytes;
    private long count;
    private boolean ended;

    TeeInputStream(InputStream in, OutputStream copy, long maxBytes) {
        super(in);
        this.copy = copy;
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
            copy.write(b);
        } else {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count(n);
            copy.write(b, off, n);
        } else if (n < 0) {
            ended = true;
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > maxBytes) {
            throw new BlobTooLargeException(maxBytes);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip would lose bytes of the copy");
    }

    /** Reads what the parser left (nothing, normally) so the copy is the whole upload. */
    void drain() throws IOException {
        byte[] scratch = new byte[8192];
        while (!ended && read(scratch, 0, scratch.length) >= 0) {
            // copying
        }
    }

    @Override
    public void close() {
        // The caller owns the upload stream and the copy.
    }
}

package io.modelyard.dataset.upload;

import io.modelyard.common.ProblemException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as the upload reads it: counts bytes, remembers whether it was read to its end, and turns a
 * body shorter than its declared Content-Length (the client went away half-way) into an error instead of a
 * silently truncated dataset.
 */
public final class UploadBody extends FilterInputStream {

    private final long declaredLength;
    private long count;
    private boolean ended;
    private boolean failed;

    /** @param declaredLength the Content-Length, or -1 when the body is chunked */
    public UploadBody(InputStream in, long declaredLength) {
        super(in);
        this.declaredLength = declaredLength;
    }

    @Override
    public int read() throws IOException {
        int b = guarded(() -> in.read());
        if (b < 0) {
            end();
        } else {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = guarded(() -> in.read(b, off, len));
        if (n < 0) {
            end();
        } else {
            count += n;
        }
        return n;
    }

    private interface Read {
        int read() throws IOException;
    }

    private int guarded(Read read) throws IOException {
        try {
            return read.read();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void end() throws IOException {
        if (declaredLength >= 0 && count < declaredLength) {
            failed = true;
            throw new EOFException("The request body ended after " + count + " of its " + declaredLength
                    + " bytes.");
        }
        ended = true;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count += skipped;
        return skipped;
    }

    /** The answer to a body that failed: nothing was kept, and the connection (in an unknown state) closes. */
    public ProblemException incomplete() {
        return ProblemException.badRequest("upload-incomplete", "The upload ended before its last byte (" + count
                + " bytes arrived); nothing was kept. Send it again.").withHeader("Connection", "close");
    }

    /**
     * A refusal as sent while the body may still be arriving: before its end it closes the connection, so that the
     * client stops sending instead of streaming the rest of a large file into a connection that is done.
     */
    public ProblemException refusal(ProblemException problem) {
        return ended ? problem : problem.withHeader("Connection", "close");
    }

    /** Whether reading the body failed: the client went away or sent less than it declared. */
    public boolean failed() {
        return failed;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Whether the body was read to its end (so the connection can be kept open after an error). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        // The framework owns the request stream.
    }
}

package io.modelyard.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes what is read and, on reaching the end, compares with the recorded digest (also for decorating stores). */
public final class VerifyingInputStream extends FilterInputStream {

    private final String key;
    private final String expected;
    private final MessageDigest digest = Sha256.newDigest();
    private BlobIntegrityException failure;
    private boolean verified;

    VerifyingInputStream(InputStream in, String key, String expectedSha256) {
        super(in);
        this.key = key;
        this.expected = expectedSha256.toLowerCase(java.util.Locale.ROOT);
    }

    public static InputStream wrap(InputStream in, String key, String expectedSha256) {
        return expectedSha256 == null ? in : new VerifyingInputStream(in, key, expectedSha256);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
        } else {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed.
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() {
        if (!verified) {
            verified = true;
            String actual = Sha256.hex(digest.digest());
            if (!actual.equals(expected)) {
                failure = new BlobIntegrityException(key, expected, actual);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

package io.modelyard.storage.encryption;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Plaintext read through Tink, with its failures told apart: an I/O error of the store stays an
 * {@link IOException} (an outage), anything else Tink refuses is a blob that does not authenticate
 * ({@link EncryptedBlobTamperedException}). Store reads mark their errors with {@link StoreReadException}.
 */
final class DecryptedInputStream extends FilterInputStream {

    private static final int MAX_EMPTY_READS = 8;

    private final String key;

    DecryptedInputStream(InputStream plaintext, String key) {
        super(plaintext);
        this.key = key;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException e) {
            throw translate(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            // Tink's channels answer 0 for "nothing yet"; a stream must not (readers stop at 0). Our ciphertext
            // channel reads fully, so a few tries suffice; more means the ciphertext cannot be decrypted.
            for (int attempt = 0; attempt < MAX_EMPTY_READS; attempt++) {
                int n = in.read(b, off, len);
                if (n != 0 || len == 0) {
                    return n;
                }
            }
            throw new IOException("Decryption of " + key + " makes no progress");
        } catch (IOException e) {
            throw translate(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private IOException translate(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreReadException storeFailure) {
                return storeFailure.getCause() instanceof IOException io ? io : storeFailure;
            }
        }
        throw new EncryptedBlobTamperedException(key, e);
    }

    /** An I/O error of the underlying store, carried through Tink so that it is not taken for tampering. */
    static final class StoreReadException extends IOException {

        StoreReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The ciphertext as the store streams it, its errors marked. */
    static final class FromStore extends FilterInputStream {

        FromStore(InputStream ciphertext) {
            super(ciphertext);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
        }
    }
}

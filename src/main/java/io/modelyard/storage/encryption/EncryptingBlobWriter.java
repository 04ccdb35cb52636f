package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStoreException;
import io.modelyard.storage.BlobWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;

/**
 * Encrypts a blob on its way into the underlying store's writer. Size, digest and byte limit (in the base class)
 * are those of the plaintext, which callers record and verify; the underlying writer sees only ciphertext and
 * publishes it on commit, or nothing on abort.
 */
final class EncryptingBlobWriter extends BlobWriter {

    private final BlobWriter target;
    private final OutputStream encrypting;

    EncryptingBlobWriter(String key, long maxBytes, BlobWriter target, TenantDataKey dataKey) {
        super(key, maxBytes);
        this.target = target;
        try {
            target.write(EncryptedBlobFormat.prefix(dataKey.keyId()));
            this.encrypting = dataKey.aead().newEncryptingStream(new KeptOpen(target), EncryptingBlobStore.associatedData(key));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            target.abort();
            throw new BlobStoreException("Cannot start an encrypted write of blob " + key, e);
        }
    }

    @Override
    protected void writeContent(byte[] b, int off, int len) throws IOException {
        encrypting.write(b, off, len);
    }

    @Override
    protected void commitContent() throws IOException {
        encrypting.close(); // writes the last segment
        target.commit();
    }

    @Override
    protected void abortContent() {
        target.abort();
    }

    /** Tink closes its sink when its stream closes; closing a blob writer would abort it before the commit. */
    private static final class KeptOpen extends FilterOutputStream {

        KeptOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobNotFoundException;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.storage.BlobWriter;
import io.modelyard.storage.BoundedInputStream;
import io.modelyard.storage.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Encrypts tenants' blobs (keys under {@code tenants/<tenant id>/}) at rest with the tenant's data key, over any
 * {@link BlobStore}; other keys pass through as they are. The blob key is the associated data, so a blob copied
 * under another key (or another tenant's) does not decrypt. To callers nothing changes: sizes, digests and byte
 * limits are the plaintext's, {@code open} verifies the plaintext's digest, {@code openRange} decrypts only the
 * segments the range touches. Blobs stored before encryption was on (no format prefix, see
 * {@link EncryptedBlobFormat}) still read as plaintext.
 *
 * <p>{@code stat} and {@code list} read the first bytes of each tenant blob to tell encrypted from plaintext (one
 * small range read per blob), then derive the plaintext size from the stored one.
 */
public final class EncryptingBlobStore implements BlobStore {

    private static final String TENANTS = "tenants/";
    /** Read once per range read: the format prefix and Tink's header, with room to spare. */
    private static final int HEAD_BYTES = 4096;

    private final BlobStore store;
    private final TenantDataKeys keys;
    private final boolean encryptWrites;

    /**
     * @param encryptWrites encrypt new tenant blobs; when false, new blobs are stored as plaintext and encrypted
     *                      ones still read
     */
    public EncryptingBlobStore(BlobStore store, TenantDataKeys keys, boolean encryptWrites) {
        this.store = store;
        this.keys = keys;
        this.encryptWrites = encryptWrites;
    }

    /** The store underneath, which holds ciphertext; for tests and diagnostics. */
    public BlobStore underlying() {
        return store;
    }

    @Override
    public BlobWriter openWriter(String key, long maxBytes) {
        Optional<String> tenant = tenantOf(key);
        if (!encryptWrites || tenant.isEmpty()) {
            return store.openWriter(key, maxBytes);
        }
        TenantDataKey dataKey = keys.forWriting(tenant.get());
        // Only the plaintext's digest is recorded and verified; hashing the ciphertext too would double the cost.
        BlobWriter target = store.openWriterWithoutDigest(key, EncryptedBlobFormat.storedSize(maxBytes));
        return new EncryptingBlobWriter(key, maxBytes, target, dataKey);
    }

    @Override
    public InputStream open(String key, String expectedSha256) {
        Optional<String> tenant = tenantOf(key);
        if (tenant.isEmpty()) {
            return store.open(key, expectedSha256);
        }
        PushbackInputStream raw = new PushbackInputStream(store.open(key, null), EncryptedBlobFormat.PREFIX_BYTES);
        try {
            byte[] head = new byte[EncryptedBlobFormat.PREFIX_BYTES];
            int n = raw.readNBytes(head, 0, head.length);
            OptionalLong keyId = EncryptedBlobFormat.keyIdOf(head, n, key);
            if (keyId.isEmpty()) {
                raw.unread(head, 0, n);
                return VerifyingInputStream.wrap(raw, key, expectedSha256);
            }
            TenantDataKey dataKey = keys.forReading(tenant.get(), keyId.getAsLong(), key);
            InputStream plaintext = dataKey.aead().newDecryptingStream(new DecryptedInputStream.FromStore(raw),
                    associatedData(key));
            return VerifyingInputStream.wrap(new DecryptedInputStream(plaintext, key), key, expectedSha256);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            closeQuietly(raw);
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        Optional<String> tenant = tenantOf(key);
        if (tenant.isEmpty()) {
            return store.openRange(key, from, to);
        }
        byte[] head;
        try (InputStream in = store.openRange(key, 0, HEAD_BYTES)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot read blob " + key, e);
        }
        OptionalLong keyId = EncryptedBlobFormat.keyIdOf(head, head.length, key);
        if (keyId.isEmpty()) {
            return store.openRange(key, from, to);
        }
        long stored = store.stat(key).orElseThrow(() -> new BlobNotFoundException(key)).size();
        TenantDataKey dataKey = keys.forReading(tenant.get(), keyId.getAsLong(), key);
        CiphertextChannel ciphertext = new CiphertextChannel(store, key, EncryptedBlobFormat.PREFIX_BYTES,
                stored - EncryptedBlobFormat.PREFIX_BYTES, head, head.length);
        try {
            SeekableByteChannel plaintext = dataKey.aead().newSeekableDecryptingChannel(ciphertext,
                    associatedData(key));
            // Never ask Tink past the end: its channel answers 0 there, not -1.
            long end = EncryptedBlobFormat.plaintextSize(stored);
            end = to < 0 ? end : Math.min(to, end);
            plaintext.position(Math.min(from, end));
            InputStream in = new DecryptedInputStream(Channels.newInputStream(plaintext), key);
            return new BoundedInputStream(in, Math.max(0, end - from));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            ciphertext.close();
            throw failure(key, e);
        }
    }

    @Override
    public Optional<BlobEntry> stat(String key) {
        Optional<BlobEntry> entry = store.stat(key);
        if (entry.isEmpty() || tenantOf(key).isEmpty()) {
            return entry;
        }
        return Optional.ofNullable(plaintextEntry(entry.get()));
    }

    @Override
    public boolean exists(String key) {
        return store.exists(key);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public long deleteByPrefix(String prefix) {
        return store.deleteByPrefix(prefix);
    }

    @Override
    public Stream<BlobEntry> list(String prefix) {
        return store.list(prefix)
                .map(entry -> tenantOf(entry.key()).isPresent() ? plaintextEntry(entry) : entry)
                .filter(Objects::nonNull);
    }

    @Override
    public int abortIncompleteWrites(Instant startedBefore) {
        return store.abortIncompleteWrites(startedBefore);
    }

    @Override
    public void close() {
        store.close();
    }

    /** The associated data of a blob's ciphertext: its key, so that it decrypts under that key only. */
    static byte[] associatedData(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The tenant a key belongs to: {@code tenants/<tenant id>/...}. */
    static Optional<String> tenantOf(String key) {
        if (!key.startsWith(TENANTS)) {
            return Optional.empty();
        }
        int end = key.indexOf('/', TENANTS.length());
        return end > TENANTS.length() ? Optional.of(key.substring(TENANTS.length(), end)) : Optional.empty();
    }

    /** The entry with the plaintext's size; null when the blob went away meanwhile. */
    private BlobEntry plaintextEntry(BlobEntry entry) {
        if (entry.size() < EncryptedBlobFormat.PREFIX_BYTES) {
            return entry;
        }
        byte[] head;
        try (InputStream in = store.openRange(entry.key(), 0, EncryptedBlobFormat.PREFIX_BYTES)) {
            head = in.readNBytes(EncryptedBlobFormat.PREFIX_BYTES);
        } catch (BlobNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new BlobStoreException("Cannot read blob " + entry.key(), e);
        }
        if (EncryptedBlobFormat.keyIdOf(head, head.length, entry.key()).isEmpty()) {
            return entry;
        }
        long plaintext = EncryptedBlobFormat.plaintextSize(entry.size());
        return new BlobEntry(entry.key(), plaintext < 0 ? 0 : plaintext, entry.lastModified());
    }

    private static RuntimeException failure(String key, Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof GeneralSecurityException) {
            return new EncryptedBlobTamperedException(key, e);
        }
        return new BlobStoreException("Cannot read blob " + key, e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}

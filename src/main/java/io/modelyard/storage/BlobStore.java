package io.modelyard.storage;

import java.io.InputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Immutable blobs under slash-separated keys such as {@code tenants/ten_x/datasets/ds_y/dsv_z/raw.csv}.
 *
 * <p>Every write streams: nothing is held whole in memory, the SHA-256 and size are computed on the way and
 * returned in {@link BlobInfo} for the caller to record. A write becomes visible only on
 * {@link BlobWriter#commit()}; one that fails, exceeds its byte limit or is closed uncommitted leaves nothing
 * behind. Reads verify the recorded digest when the stream reaches its end.
 *
 * <p>Keys are validated by {@link BlobKeys#check(String)}. Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Opens a streaming write to {@code key}. Writing more than {@code maxBytes} throws
     * {@link BlobTooLargeException} and aborts the write.
     */
    BlobWriter openWriter(String key, long maxBytes);

    /**
     * {@link #openWriter(String, long)} for a store that decorates this one and hashes the content it writes here
     * by itself (the ciphertext of an encrypting store, whose callers record the plaintext's digest): the
     * writer does not hash, and its {@link BlobInfo} has no digest. Stores that cannot skip it hash anyway.
     */
    default BlobWriter openWriterWithoutDigest(String key, long maxBytes) {
        return openWriter(key, maxBytes);
    }

    /** Copies {@code in} to {@code key} (not closing {@code in}); see {@link #openWriter(String, long)}. */
    default BlobInfo put(String key, InputStream in, long maxBytes) {
        try (BlobWriter writer = openWriter(key, maxBytes)) {
            in.transferTo(writer);
            return writer.commit();
        } catch (IOException e) {
            throw new BlobStoreException("Could not write blob " + key, e);
        }
    }

    /**
     * Opens {@code key} for reading. When {@code expectedSha256} (lowercase hex) is given, reading to the end
     * of the stream throws {@link BlobIntegrityException} if the content does not hash to it.
     *
     * @throws BlobNotFoundException if there is no such blob
     */
    InputStream open(String key, String expectedSha256);

    /**
     * Opens bytes {@code from} (inclusive) to {@code to} (exclusive; -1 for the end) of {@code key}, without
     * verifying a digest (only a whole read can). For reading part of a large blob, such as one page of rows.
     *
     * @throws BlobNotFoundException if there is no such blob
     */
    InputStream openRange(String key, long from, long to);

    /** Size and last-modified time of {@code key}, or empty when there is no such blob. */
    Optional<BlobEntry> stat(String key);

    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Deletes {@code key}; deleting a missing blob is not an error. */
    void delete(String key);

    /** Deletes every blob whose key starts with {@code prefix}; returns how many were deleted. */
    long deleteByPrefix(String prefix);

    /**
     * Every committed blob whose key starts with {@code prefix} (plain string prefix, as S3 does), in no
     * particular order. The stream holds resources: close it.
     */
    Stream<BlobEntry> list(String prefix);

    /**
     * Removes the leftovers of writes that never committed because their process died (temporary files,
     * incomplete multipart uploads) started before {@code startedBefore}. Returns how many were removed.
     */
    int abortIncompleteWrites(Instant startedBefore);

    @Override
    default void close() {
    }
}

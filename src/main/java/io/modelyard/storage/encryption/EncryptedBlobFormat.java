package io.modelyard.storage.encryption;

import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * How an encrypted blob is laid out, version 1:
 * <pre>
 *   00 'M' 'Y' 'E' 'N' 'C'   magic: no CSV, JSON Lines or zip (model artifacts) begins with a NUL byte, so blobs
 *                            written before encryption was on are told apart and still read as plaintext
 *   01                       format version
 *   8 bytes                  the tenant's data key id (big-endian)
 *   Tink StreamingAead ciphertext: AES256-GCM-HKDF-SHA256, 64 KiB segments, the blob key as associated data
 * </pre>
 * Why 64 KiB segments: a page of dataset rows ({@code openRange}) decrypts at most two segments, a cheap fraction
 * of a millisecond and of an S3 range read, while the 16-byte tag per segment costs 0.02 % of the size and a
 * streaming write stays at full AES-GCM speed (1 MiB segments would make each page read fetch and decrypt up to
 * 2 MiB; 4 KiB ones re-key the cipher 16 times as often). A multiple of 4 KiB, so segments align with pages.
 *
 * <p>Tink writes a 40-byte header (length byte, 32-byte salt, 7-byte nonce prefix), then segments of exactly
 * {@link #SEGMENT_BYTES} ciphertext (the first one holds the header) except the last, each ending in a 16-byte
 * tag. That layout makes the plaintext size a function of the stored size, so {@code stat} and {@code list}
 * report what tenants stored without reading anything but the first bytes.
 */
final class EncryptedBlobFormat {

    static final int SEGMENT_BYTES = 64 * 1024;
    static final int PREFIX_BYTES = 15;
    private static final int TINK_HEADER_BYTES = 1 + 32 + 7;
    private static final int TAG_BYTES = 16;
    private static final byte VERSION = 1;
    private static final byte[] MAGIC = {0, 'M', 'Y', 'E', 'N', 'C'};

    private EncryptedBlobFormat() {
    }

    /** What a tenant's data keyset holds: one AES256-GCM-HKDF streaming key with this layout's segments. */
    static AesGcmHkdfStreamingParameters dataKeyParameters() {
        try {
            return AesGcmHkdfStreamingParameters.builder()
                    .setKeySizeBytes(32)
                    .setDerivedAesGcmKeySizeBytes(32)
                    .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                    .setCiphertextSegmentSizeBytes(SEGMENT_BYTES)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused the data key parameters", e);
        }
    }

    static byte[] prefix(long keyId) {
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES);
        prefix.put(MAGIC).put(VERSION).putLong(keyId);
        return prefix.array();
    }

    /**
     * The data key id of an encrypted blob whose first {@code length} bytes are {@code head}; empty for plaintext.
     *
     * @throws DataKeyUnavailableException for an encrypted blob of a format version this code does not know
     */
    static OptionalLong keyIdOf(byte[] head, int length, String key) {
        if (length < MAGIC.length || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return OptionalLong.empty();
        }
        if (length < PREFIX_BYTES || head[MAGIC.length] != VERSION) {
            throw new DataKeyUnavailableException("Blob " + key + " is encrypted in an unknown format (version "
                    + (length > MAGIC.length ? head[MAGIC.length] : "missing") + ")");
        }
        return OptionalLong.of(ByteBuffer.wrap(head, MAGIC.length + 1, 8).getLong());
    }

    /** Stored bytes of {@code plaintextBytes} encrypted; {@link Long#MAX_VALUE} when that would overflow. */
    static long storedSize(long plaintextBytes) {
        if (plaintextBytes > Long.MAX_VALUE / 2) {
            return Long.MAX_VALUE;
        }
        long segments = Math.max(1, ceilDiv(plaintextBytes + TINK_HEADER_BYTES, SEGMENT_BYTES - TAG_BYTES));
        return PREFIX_BYTES + TINK_HEADER_BYTES + plaintextBytes + segments * TAG_BYTES;
    }

    /** Plaintext bytes of an encrypted blob of {@code storedBytes}; -1 if no ciphertext can have that size. */
    static long plaintextSize(long storedBytes) {
        long ciphertext = storedBytes - PREFIX_BYTES;
        if (ciphertext < TINK_HEADER_BYTES + TAG_BYTES) {
            return -1;
        }
        long segments = ceilDiv(ciphertext, SEGMENT_BYTES);
        long plaintext = ciphertext - TINK_HEADER_BYTES - segments * TAG_BYTES;
        return plaintext < 0 ? -1 : plaintext;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

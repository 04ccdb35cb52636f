package io.modelyard.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The layout that stat and list rely on, checked against what Tink really writes. */
class EncryptedBlobFormatTest {

    @Test
    void plaintextSizeFollowsFromTheStoredSizeAtEverySegmentBoundary() throws Exception {
        StreamingAeadConfig.register();
        StreamingAead aead = KeysetHandle.generateNew(EncryptedBlobFormat.dataKeyParameters())
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        int segment = EncryptedBlobFormat.SEGMENT_BYTES;
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 100, 4096));
        for (int boundary = 1; boundary <= 3; boundary++) {
            // Plaintext per segment is the segment less the 16-byte tag, the first also less the 40-byte header.
            int edge = boundary * (segment - 16) - 40;
            for (int delta = -2; delta <= 2; delta++) {
                sizes.add(edge + delta);
            }
        }
        sizes.add(5 * segment + 1234);
        byte[] content = new byte[5 * segment + 1234];
        new Random(7).nextBytes(content);
        for (int size : sizes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream encrypting = aead.newEncryptingStream(out, new byte[0])) {
                encrypting.write(content, 0, size);
            }
            long stored = EncryptedBlobFormat.PREFIX_BYTES + out.size();
            assertEquals(stored, EncryptedBlobFormat.storedSize(size), "stored size of " + size);
            assertEquals(size, EncryptedBlobFormat.plaintextSize(stored), "plaintext size of " + size);
        }
    }

    @Test
    void thePrefixTellsEncryptedFromPlaintext() {
        byte[] prefix = EncryptedBlobFormat.prefix(123456789L);
        assertEquals(OptionalLong.of(123456789L), EncryptedBlobFormat.keyIdOf(prefix, prefix.length, "k"));
        byte[] csv = "text,label\nhello,a\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(EncryptedBlobFormat.keyIdOf(csv, csv.length, "k").isEmpty());
        assertTrue(EncryptedBlobFormat.keyIdOf(new byte[0], 0, "k").isEmpty());
        byte[] future = prefix.clone();
        future[6] = 9;
        assertThrows(DataKeyUnavailableException.class, () -> EncryptedBlobFormat.keyIdOf(future, future.length, "k"));
    }

    @Test
    void hugeLimitsDoNotOverflow() {
        assertEquals(Long.MAX_VALUE, EncryptedBlobFormat.storedSize(Long.MAX_VALUE));
        assertTrue(EncryptedBlobFormat.storedSize(64L << 30) > 64L << 30);
    }
}

package io.modelyard.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobIntegrityException;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.storage.BlobWriter;
import io.modelyard.storage.Sha256;
import io.modelyard.tenant.TenantScope;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Encryption at rest over a real store: what lands in the store is ciphertext, callers see plaintext sizes and
 * digests, ranges decrypt only what they touch, and tampering, swapping and destroyed keys fail loudly.
 */
abstract class EncryptingBlobStoreContract {

    private static final int SEGMENT = EncryptedBlobFormat.SEGMENT_BYTES;

    @Inject
    TenantDataKeys keys;

    @Inject
    TenantScope tenantScope;

    EncryptingBlobStore store;
    String tenant;
    String base;

    /** The real store underneath, holding ciphertext. */
    protected abstract BlobStore underlying();

    /** The stored bytes of {@code key}, read directly (the file, the S3 object). */
    protected abstract byte[] raw(String key) throws Exception;

    /** Replaces the stored bytes of {@code key} directly. */
    protected abstract void replaceRaw(String key, byte[] content) throws Exception;

    @BeforeEach
    void newTenant() {
        store = new EncryptingBlobStore(underlying(), keys, true);
        tenant = "ten_" + UUID.randomUUID().toString().replace("-", "");
        base = "tenants/" + tenant + "/";
    }

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append("a perfectly readable sentence number ").append(i).append(",positive\n");
        }
        return csv.toString();
    }

    @Test
    void roundTripKeepsThePlaintextsSizeAndDigest() throws Exception {
        byte[] content = csv(20_000).getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store.put(base + "datasets/ds_1/raw.csv", new ByteArrayInputStream(content), 10L << 20);
        assertEquals(content.length, info.size());
        assertEquals(Sha256.of(content), info.sha256());
        try (InputStream in = store.open(info.key(), info.sha256())) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(content.length, store.stat(info.key()).orElseThrow().size());
        try (Stream<BlobEntry> listed = store.list(base)) {
            assertEquals(List.of(content.length), listed.map(e -> (int) e.size()).toList());
        }
        assertTrue(underlying().stat(info.key()).orElseThrow().size() > content.length, "ciphertext is stored");
    }

    @Test
    void theStoredBytesAreNotThePlaintext() throws Exception {
        String text = csv(500);
        BlobInfo info = store.put(base + "datasets/ds_1/raw.csv", stream(text), 1 << 20);
        String stored = new String(raw(info.key()), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("readable sentence"), "plaintext found in the stored blob");
        assertFalse(stored.contains("text,label"), "plaintext found in the stored blob");
        assertTrue(stored.startsWith("\0MYENC"), "the format prefix marks it");
    }

    @Test
    void emptyAndTinyBlobsRoundTrip() throws Exception {
        for (int size : new int[] {0, 1, 15, 16}) {
            byte[] content = new byte[size];
            Arrays.fill(content, (byte) 'x');
            BlobInfo info = store.put(base + "tiny/" + size, new ByteArrayInputStream(content), 100);
            try (InputStream in = store.open(info.key(), Sha256.of(content))) {
                assertArrayEquals(content, in.readAllBytes());
            }
            assertEquals(size, store.stat(info.key()).orElseThrow().size());
            try (InputStream in = store.openRange(info.key(), 0, -1)) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void rangesReadTheSameBytesAsSlicingThePlaintext() throws Exception {
        byte[] content = new byte[5 * SEGMENT + 1234];
        Random random = new Random(42);
        random.nextBytes(content);
        String key = store.put(base + "datasets/ds_1/dsv_1/version.csv", new ByteArrayInputStream(content),
                content.length).key();
        int firstBoundary = SEGMENT - 16 - 40;
        int[][] ranges = {{0, 10}, {0, content.length}, {firstBoundary - 5, firstBoundary + 5},
                {firstBoundary + (SEGMENT - 16) - 1, firstBoundary + (SEGMENT - 16) + 1}, {content.length - 3,
                content.length}, {content.length, content.length}, {0, 0}};
        for (int[] range : ranges) {
            assertRange(key, content, range[0], range[1]);
        }
        for (int i = 0; i < 200; i++) {
            int from = random.nextInt(content.length);
            int to = from + random.nextInt(Math.min(3 * SEGMENT, content.length - from) + 1);
            assertRange(key, content, from, to);
        }
        int from = 2 * SEGMENT + 17;
        try (InputStream in = store.openRange(key, from, -1)) {
            assertArrayEquals(Arrays.copyOfRange(content, from, content.length), in.readAllBytes(), "open-ended");
        }
    }

    private void assertRange(String key, byte[] content, int from, int to) throws IOException {
        try (InputStream in = store.openRange(key, from, to)) {
            assertArrayEquals(Arrays.copyOfRange(content, from, to), in.readAllBytes(), "bytes " + from + "-" + to);
        }
    }

    @Test
    void aTamperedBlobFails() throws Exception {
        byte[] content = new byte[3 * SEGMENT];
        new Random(1).nextBytes(content);
        String key = store.put(base + "models/mdl_1/model.pt", new ByteArrayInputStream(content), content.length)
                .key();
        byte[] stored = raw(key);
        stored[stored.length / 2] ^= 1;
        replaceRaw(key, stored);
        BlobIntegrityException whole = assertThrows(BlobIntegrityException.class, () -> {
            try (InputStream in = store.open(key, Sha256.of(content))) {
                in.readAllBytes();
            }
        });
        assertTrue(whole instanceof EncryptedBlobTamperedException, whole.toString());
        assertThrows(EncryptedBlobTamperedException.class, () -> {
            try (InputStream in = store.openRange(key, 0, content.length)) {
                in.readAllBytes();
            }
        });
        try (InputStream in = store.openRange(key, 0, 100)) {
            assertArrayEquals(Arrays.copyOfRange(content, 0, 100), in.readAllBytes(), "untouched segments still read");
        }
    }

    @Test
    void aBlobCopiedUnderAnotherKeyFails() throws Exception {
        String key = store.put(base + "datasets/ds_1/raw.csv", stream(csv(10)), 1 << 20).key();
        String copy = base + "datasets/ds_2/raw.csv";
        underlying().put(copy, new ByteArrayInputStream(raw(key)), 1 << 20);
        assertThrows(EncryptedBlobTamperedException.class, () -> {
            try (InputStream in = store.open(copy, null)) {
                in.readAllBytes();
            }
        });
        assertThrows(EncryptedBlobTamperedException.class, () -> {
            try (InputStream in = store.openRange(copy, 0, 5)) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void aBlobCopiedToAnotherTenantFails() throws Exception {
        String key = store.put(base + "datasets/ds_1/raw.csv", stream(csv(10)), 1 << 20).key();
        String other = "ten_" + UUID.randomUUID().toString().replace("-", "");
        store.put("tenants/" + other + "/datasets/ds_0/raw.csv", stream("x"), 10);
        String stolen = "tenants/" + other + "/datasets/ds_1/raw.csv";
        underlying().put(stolen, new ByteArrayInputStream(raw(key)), 1 << 20);
        assertThrows(DataKeyUnavailableException.class, () -> store.open(stolen, null).readAllBytes());
    }

    @Test
    void blobsStoredBeforeEncryptionStillReadAsPlaintext() throws Exception {
        String text = csv(3_000);
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        BlobInfo info = underlying().put(base + "datasets/ds_old/raw.csv", new ByteArrayInputStream(content),
                1 << 20);
        try (InputStream in = store.open(info.key(), info.sha256())) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertThrows(BlobIntegrityException.class, () -> store.open(info.key(), Sha256.of(new byte[1]))
                .readAllBytes());
        try (InputStream in = store.openRange(info.key(), 100, 200)) {
            assertArrayEquals(Arrays.copyOfRange(content, 100, 200), in.readAllBytes());
        }
        assertEquals(content.length, store.stat(info.key()).orElseThrow().size());
    }

    @Test
    void keysOutsideTenantsStayPlaintext() throws Exception {
        BlobInfo info = store.put("health/probe-" + UUID.randomUUID(), stream("hello"), 100);
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), raw(info.key()));
        store.delete(info.key());
    }

    @Test
    void limitsCountPlaintextAndAFailedWriteLeavesNothing() throws Exception {
        String key = base + "uploads/too-big";
        assertThrows(BlobTooLargeException.class, () -> store.put(key, stream(csv(100)), 100));
        assertFalse(underlying().exists(key));
        byte[] exact = new byte[SEGMENT];
        assertEquals(SEGMENT, store.put(key, new ByteArrayInputStream(exact), SEGMENT).size());
        try (BlobWriter writer = store.openWriter(base + "uploads/abandoned", 1000)) {
            writer.write(new byte[10]);
        }
        assertFalse(underlying().exists(base + "uploads/abandoned"));
    }

    @Test
    void afterDestroyTheTenantsBlobsAreUnreadableAndOthersAreNot() throws Exception {
        String other = "tenants/ten_" + UUID.randomUUID().toString().replace("-", "") + "/datasets/ds_1/raw.csv";
        byte[] otherContent = csv(50).getBytes(StandardCharsets.UTF_8);
        store.put(other, new ByteArrayInputStream(otherContent), 1 << 20);
        String key = store.put(base + "datasets/ds_1/raw.csv", stream(csv(50)), 1 << 20).key();
        assertThrows(IllegalStateException.class, () -> keys.destroy(tenant), "only in operator mode");

        assertTrue(tenantScope.callAsPlatform("test erasure", () -> keys.destroy(tenant)));
        assertFalse(tenantScope.callAsPlatform("test erasure", () -> keys.destroy(tenant)), "idempotent");

        assertThrows(DataKeyDestroyedException.class, () -> store.open(key, null));
        assertThrows(DataKeyDestroyedException.class, () -> store.openRange(key, 0, 10));
        assertThrows(DataKeyDestroyedException.class, () -> store.openWriter(base + "datasets/ds_2/raw.csv", 10));
        try (InputStream in = store.open(other, Sha256.of(otherContent))) {
            assertArrayEquals(otherContent, in.readAllBytes());
        }
        // A fresh process (empty cache) sees the same.
        keys.forgetAll();
        assertThrows(DataKeyDestroyedException.class, () -> store.open(key, null));
    }

    @Test
    void aTenantThatNeverWroteCanBeDestroyedAndThenWritesNothing() {
        assertFalse(tenantScope.callAsPlatform("test erasure", () -> keys.destroy(tenant)));
        assertThrows(DataKeyDestroyedException.class, () -> store.put(base + "datasets/x", stream("x"), 10));
    }

    @Test
    void listingGivesPlaintextSizesForEncryptedAndOlderBlobs() throws Exception {
        Map<String, Integer> sizes = Map.of(base + "a/1", 0, base + "a/2", 70_000, base + "b/3", 123);
        for (var entry : sizes.entrySet()) {
            store.put(entry.getKey(), new ByteArrayInputStream(new byte[entry.getValue()]), 1 << 20);
        }
        underlying().put(base + "a/old", new ByteArrayInputStream(new byte[77]), 100);
        try (Stream<BlobEntry> listed = store.list(base)) {
            Map<String, Integer> seen = listed.collect(Collectors.toMap(BlobEntry::key, e -> (int) e.size()));
            assertEquals(Map.of(base + "a/1", 0, base + "a/2", 70_000, base + "b/3", 123, base + "a/old", 77), seen);
        }
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

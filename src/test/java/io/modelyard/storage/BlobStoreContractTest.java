package io.modelyard.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BlobStore} promises; run against each implementation by a subclass. */
abstract class BlobStoreContractTest {

    /** Each test works under its own prefix so tests never see each other's blobs. */
    protected String base;

    protected abstract BlobStore store();

    /** Replaces the stored bytes of {@code key} behind the store's back, as damage at rest would. */
    protected abstract void corrupt(String key, byte[] replacement) throws Exception;

    /** No temporary file or incomplete multipart upload remains. */
    protected abstract void assertNoIncompleteWrites() throws Exception;

    @BeforeEach
    void prefix() {
        base = "tenants/ten_" + UUID.randomUUID().toString().replace("-", "") + "/";
    }

    @Test
    void roundTripReturnsSizeAndDigestAndContent() throws Exception {
        byte[] content = "text,label\nhello,pos\n".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store().put(base + "datasets/ds_1/dsv_1/raw.csv", new ByteArrayInputStream(content), 1024);

        assertEquals(base + "datasets/ds_1/dsv_1/raw.csv", info.key());
        assertEquals(content.length, info.size());
        assertEquals(Sha256.of(content), info.sha256());
        try (InputStream in = store().open(info.key(), info.sha256())) {
            assertArrayEquals(content, in.readAllBytes());
        }
        BlobEntry entry = store().stat(info.key()).orElseThrow();
        assertEquals(content.length, entry.size());
        assertTrue(store().exists(info.key()));
    }

    @Test
    void aWriterWithoutDigestStoresTheSameAndLeavesHashingToItsCaller() throws Exception {
        byte[] content = "already hashed by a decorating store".getBytes(StandardCharsets.UTF_8);
        BlobInfo info;
        try (BlobWriter writer = store().openWriterWithoutDigest(base + "unhashed", 1024)) {
            writer.write(content);
            info = writer.commit();
        }
        assertEquals(content.length, info.size());
        assertNull(info.sha256());
        try (InputStream in = store().open(info.key(), Sha256.of(content))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void aRangeReadsJustThoseBytes() throws Exception {
        byte[] content = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store().put(base + "ranged", new ByteArrayInputStream(content), 1024);
        try (InputStream in = store().openRange(info.key(), 3, 7)) {
            assertEquals("3456", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (InputStream in = store().openRange(info.key(), 10, -1)) {
            assertEquals("abcdef", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        org.junit.jupiter.api.Assertions.assertThrows(BlobNotFoundException.class,
                () -> store().openRange(base + "missing", 0, -1).close());
    }

    @Test
    void emptyBlobIsABlob() throws Exception {
        BlobInfo info = store().put(base + "empty", InputStream.nullInputStream(), 10);
        assertEquals(0, info.size());
        assertEquals(Sha256.of(new byte[0]), info.sha256());
        try (InputStream in = store().open(info.key(), info.sha256())) {
            assertEquals(0, in.readAllBytes().length);
        }
    }

    @Test
    void corruptedBlobFailsVerificationAtEndOfStream() throws Exception {
        byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store().put(base + "blob.csv", new ByteArrayInputStream(content), 1024);
        byte[] damaged = "a,b\n1,3\n".getBytes(StandardCharsets.UTF_8);
        corrupt(info.key(), damaged);

        try (InputStream in = store().open(info.key(), info.sha256())) {
            BlobIntegrityException e = assertThrows(BlobIntegrityException.class, in::readAllBytes);
            assertEquals(info.sha256(), e.expectedSha256());
            assertEquals(Sha256.of(damaged), e.actualSha256());
        }
        // Without an expected digest the same bytes read fine: the check is what catches the damage.
        try (InputStream in = store().open(info.key(), null)) {
            assertArrayEquals(damaged, in.readAllBytes());
        }
    }

    @Test
    void wrongExpectedDigestFails() throws Exception {
        BlobInfo info = store().put(base + "x", new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
        try (InputStream in = store().open(info.key(), Sha256.of(new byte[] {1, 2, 4}))) {
            assertThrows(BlobIntegrityException.class, in::readAllBytes);
        }
    }

    @Test
    void writeOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
        String key = base + "too-big.csv";
        BlobTooLargeException e = assertThrows(BlobTooLargeException.class,
                () -> store().put(key, new GeneratedStream(10 * 1024 * 1024 + 1, 7), 10 * 1024 * 1024));

        assertEquals(413, e.status());
        assertEquals("payload-too-large", e.type());
        assertEquals(10L * 1024 * 1024, e.extensions().get("max_bytes"));
        assertFalse(store().exists(key));
        assertEquals(0, listed(base).size());
        assertNoIncompleteWrites();
    }

    @Test
    void writeOfExactlyTheLimitIsAccepted() {
        BlobInfo info = store().put(base + "exact", new GeneratedStream(4096, 1), 4096);
        assertEquals(4096, info.size());
    }

    @Test
    void failedOrUncommittedWritesLeaveNothing() throws Exception {
        String failed = base + "failed";
        InputStream breaksHalfway = new InputStream() {
            int left = 6 * 1024 * 1024;

            @Override
            public int read() throws IOException {
                if (left-- == 0) {
                    throw new IOException("client went away");
                }
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    throw new IOException("client went away");
                }
                int n = Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        assertThrows(BlobStoreException.class, () -> store().put(failed, breaksHalfway, Long.MAX_VALUE));

        String uncommitted = base + "uncommitted";
        try (BlobWriter writer = store().openWriter(uncommitted, Long.MAX_VALUE)) {
            writer.write(new byte[6 * 1024 * 1024]);
        }
        assertFalse(store().exists(failed));
        assertFalse(store().exists(uncommitted));
        assertEquals(0, listed(base).size());
        assertNoIncompleteWrites();
    }

    @Test
    void writesOfADeadProcessAreSweptAsIncomplete() throws Exception {
        BlobWriter orphan = store().openWriter(base + "crashed", Long.MAX_VALUE);
        orphan.write(new byte[6 * 1024 * 1024]); // past one part: a multipart upload has begun on S3
        // The process "dies" here: neither commit nor abort.

        assertEquals(0, store().abortIncompleteWrites(Instant.now().minus(Duration.ofHours(1))),
                "a write younger than the cutoff is left alone");
        assertTrue(store().abortIncompleteWrites(Instant.now().plus(Duration.ofMinutes(1))) >= 1);
        assertNoIncompleteWrites();
        assertFalse(store().exists(base + "crashed"));
    }

    @Test
    void listingByPrefixGivesSizesAndTimes() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        store().put(base + "ds_a/raw.csv", new GeneratedStream(10, 1), 100);
        store().put(base + "ds_a/v1.csv", new GeneratedStream(20, 2), 100);
        store().put(base + "ds_ab/raw.csv", new GeneratedStream(30, 3), 100);

        Map<String, BlobEntry> underA = listed(base + "ds_a/");
        assertEquals(Set.of(base + "ds_a/raw.csv", base + "ds_a/v1.csv"), underA.keySet());
        assertEquals(20, underA.get(base + "ds_a/v1.csv").size());
        for (BlobEntry entry : underA.values()) {
            assertTrue(entry.lastModified().isAfter(before), entry.toString());
            assertTrue(entry.lastModified().isBefore(Instant.now().plusSeconds(5)), entry.toString());
        }
        // A plain string prefix, as S3 has it: "ds_a" also matches "ds_ab".
        assertEquals(3, listed(base + "ds_a").size());
        assertEquals(0, listed(base + "nothing/").size());
    }

    @Test
    void deleteByPrefixRemovesOnlyThatPrefix() {
        store().put(base + "ds_1/raw.csv", new GeneratedStream(10, 1), 100);
        store().put(base + "ds_1/dsv_2/data.csv", new GeneratedStream(10, 2), 100);
        store().put(base + "ds_2/raw.csv", new GeneratedStream(10, 3), 100);

        assertEquals(2, store().deleteByPrefix(base + "ds_1/"));
        assertEquals(Set.of(base + "ds_2/raw.csv"), listed(base).keySet());
        assertEquals(0, store().deleteByPrefix(base + "ds_1/"));
    }

    @Test
    void deleteAndMissingBlobs() {
        String key = base + "gone";
        store().put(key, new GeneratedStream(10, 1), 100);
        store().delete(key);
        assertFalse(store().exists(key));
        assertTrue(store().stat(key).isEmpty());
        store().delete(key); // idempotent
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store().open(key, null));
        assertEquals(key, e.key());
    }

    @Test
    void largeBlobStreamsBothWays() throws Exception {
        long size = 20L * 1024 * 1024 + 123;
        GeneratedStream source = new GeneratedStream(size, 42);
        BlobInfo info = store().put(base + "large.bin", source, size);

        assertEquals(size, info.size());
        assertEquals(source.sha256(), info.sha256());
        MessageDigest digest = Sha256.newDigest();
        long read = 0;
        try (InputStream in = store().open(info.key(), info.sha256())) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                read += n;
            }
        }
        assertEquals(size, read);
        assertEquals(info.sha256(), Sha256.hex(digest.digest()));
    }

    @Test
    void unsafeKeysAreRejected() {
        for (String key : new String[] {"../escape", "/absolute", "a//b", "a/./b", "a/../b", ".tmp/x", "a/b/", ""}) {
            assertThrows(IllegalArgumentException.class,
                    () -> store().put(key, InputStream.nullInputStream(), 10), key);
        }
    }

    @Test
    void sweeperDeletesOldUnreferencedBlobsOnly() {
        store().put(base + "ds_1/raw.csv", new GeneratedStream(10, 1), 100);
        store().put(base + "ds_1/orphan.csv", new GeneratedStream(15, 2), 100);

        Clock now = Clock.systemUTC();
        OrphanSweeper.Result young = new OrphanSweeper(store(), now)
                .sweep(base, key -> key.endsWith("raw.csv"), Duration.ofHours(1));
        assertEquals(0, young.deletedBlobs(), "inside the grace period nothing is swept");

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
        OrphanSweeper.Result old = new OrphanSweeper(store(), later)
                .sweep(base, key -> key.endsWith("raw.csv"), Duration.ofHours(1));
        assertEquals(1, old.deletedBlobs());
        assertEquals(15, old.deletedBytes());
        assertEquals(Set.of(base + "ds_1/raw.csv"), listed(base).keySet());
    }

    protected Map<String, BlobEntry> listed(String prefix) {
        try (Stream<BlobEntry> entries = store().list(prefix)) {
            return entries.collect(Collectors.toMap(BlobEntry::key, e -> e));
        }
    }

    /** Deterministic pseudo-random bytes made on the fly, hashed as they are handed out; never held whole. */
    static final class GeneratedStream extends InputStream {

        private final long size;
        private final MessageDigest digest = Sha256.newDigest();
        private long position;
        private long state;

        GeneratedStream(long size, long seed) {
            this.size = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }

        String sha256() {
            return Sha256.hex(digest.digest());
        }
    }
}

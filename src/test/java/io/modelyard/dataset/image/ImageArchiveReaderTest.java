package io.modelyard.dataset.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.image.ImageFormat;
import io.modelyard.image.ImageMode;
import io.modelyard.image.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ImageArchiveReaderTest {

    private final List<ArchiveImage> sunk = new ArrayList<>();

    @Test
    void classFoldersGiveTheLabels() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/", new byte[0]);
        entries.put("cat/1.png", png(1));
        entries.put("cat/2.jpg", TestImages.jpeg(TestImages.shapes(50, 40, 2)));
        entries.put("dog/3.png", png(3));
        ImageArchive archive = read(TestZips.zip(entries));

        assertEquals(Map.of("cat/1.png", "cat", "cat/2.jpg", "cat", "dog/3.png", "dog"), labels(archive));
        assertFalse(archive.labelledByManifest());
        assertEquals(4, archive.entries());
        assertEquals(1, archive.skippedEntries());
        assertEquals(3, sunk.size());
        ArchiveImage first = sunk.get(0);
        assertEquals("cat/1.png", first.path());
        assertArrayEquals(entries.get("cat/1.png"), first.bytes());
        assertEquals(64, first.sha256().length());
        assertEquals(ImageFormat.PNG, first.format());
        assertEquals(ImageMode.RGB, first.mode());
        assertTrue(first.thumbnail().length > 100);
        assertEquals(ImageFormat.JPEG, archive.images().get(1).format());
        assertNull(archive.images().get(0).split());
    }

    @Test
    void splitFoldersInsideATopFolderWithMacJunk() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("shapes/train/circle/1.png", png(1));
        entries.put("shapes/val/square/2.png", png(2));
        entries.put("shapes/validation/circle/3.png", png(3));
        entries.put("shapes/test/square/4.png", png(4));
        entries.put("shapes/.DS_Store", random(100));
        entries.put("__MACOSX/shapes/train/circle/._1.png", random(100));
        entries.put("shapes/train/circle/Thumbs.db", random(100));
        ImageArchive archive = read(TestZips.zip(entries));

        Map<String, ImageSplit> splits = archive.images().stream()
                .collect(Collectors.toMap(LabelledImage::path, LabelledImage::split));
        assertEquals(Map.of("shapes/train/circle/1.png", ImageSplit.TRAIN, "shapes/val/square/2.png",
                ImageSplit.VALIDATION, "shapes/validation/circle/3.png", ImageSplit.VALIDATION,
                "shapes/test/square/4.png", ImageSplit.TEST), splits);
        assertEquals("square", labels(archive).get("shapes/test/square/4.png"));
        assertEquals(3, archive.skippedEntries());
    }

    @Test
    void aManifestDecidesTheLabelsWhereverItSitsInTheArchive() throws IOException {
        byte[] manifest = "file,label,split\nimg/a.png,cat,train\nimg/b.png,dog,\n\"img/c, d.png\",dog,test\n"
                .getBytes(StandardCharsets.UTF_8);
        for (boolean manifestFirst : new boolean[] {true, false}) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            if (manifestFirst) {
                entries.put("labels.csv", manifest);
            }
            entries.put("img/a.png", png(1));
            entries.put("img/b.png", png(2));
            entries.put("img/c, d.png", png(3));
            if (!manifestFirst) {
                entries.put("labels.csv", manifest);
            }
            ImageArchive archive = read(TestZips.zip(entries));
            assertTrue(archive.labelledByManifest());
            assertEquals(Map.of("img/a.png", "cat", "img/b.png", "dog", "img/c, d.png", "dog"), labels(archive));
            assertEquals(ImageSplit.TRAIN, archive.images().get(0).split());
            assertNull(archive.images().get(1).split());
            assertEquals(ImageSplit.TEST, archive.images().get(2).split());
        }
    }

    @Test
    void aManifestInsideTheTopFolderNamesFilesRelativeToIt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("shapes/a.png", png(1));
        entries.put("shapes/labels.csv", "file,label\na.png,circle\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("shapes/a.png", "circle"), labels(read(TestZips.zip(entries))));
    }

    @Test
    void aManifestNamingAMissingFileIsRefusedNamingIt() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.png", png(1));
        entries.put("labels.csv", "file,label\na.png,cat\nghost.png,dog\n".getBytes(StandardCharsets.UTF_8));
        ProblemException refused = refused(DatasetProblem.MANIFEST_NAMES_MISSING_FILE, "labels.csv", entries);
        assertTrue(refused.detail().contains("ghost.png"), refused.detail());
        assertEquals("ghost.png", refused.extensions().get("file"));
        assertEquals(3, refused.extensions().get("row"));
    }

    @Test
    void aManifestWithABadSplitIsRefusedAtItsRow() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.png", png(1));
        entries.put("labels.csv", "file,label,split\na.png,cat,holdout\n".getBytes(StandardCharsets.UTF_8));
        ProblemException refused = refused(DatasetProblem.INVALID_SPLIT_VALUE, "labels.csv", entries);
        assertEquals(2, refused.extensions().get("row"));
    }

    @Test
    void junkIsSkippedUnreadEvenWhenItWouldBeABomb() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        entries.put("__MACOSX/cat/._a.png", new byte[50 * 1024 * 1024]);
        ImageArchive archive = read(TestZips.zip(entries));
        assertEquals(1, archive.images().size());
        assertTrue(archive.inflatedBytes() < 1024 * 1024, "junk is never inflated");
    }

    @Test
    void anImageTheManifestDoesNotNameIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("labels.csv", "file,label\na.png,cat\n".getBytes(StandardCharsets.UTF_8));
        entries.put("a.png", png(1));
        entries.put("stray.png", png(2));
        refused(DatasetProblem.IMAGE_NOT_IN_MANIFEST, "stray.png", entries);
    }

    @Test
    void anImageOutsideAClassFolderWithoutAManifestIsRefused() {
        refused(DatasetProblem.UNLABELLED_IMAGE, "loose.png", Map.of("loose.png", png(1)));
        refused(DatasetProblem.UNLABELLED_IMAGE, "cat/deep/er.png", Map.of("cat/deep/er.png", png(1),
                "dog/b.png", png(2)));
    }

    @Test
    void undecodableImagesAreListedAndNotStored() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/good.png", png(1));
        entries.put("cat/cut.png", TestImages.truncated(TestImages.png(TestImages.shapes(200, 200, 2)), 0.5));
        entries.put("dog/cut.jpg", TestImages.truncated(TestImages.jpeg(TestImages.shapes(200, 200, 3)), 0.4));
        ImageArchive archive = read(TestZips.zip(entries));
        assertEquals(List.of("cat/good.png"), archive.images().stream().map(LabelledImage::path).toList());
        assertEquals(List.of("cat/cut.png", "dog/cut.jpg"),
                archive.undecodable().stream().map(UndecodableImage::path).toList());
        assertFalse(archive.undecodable().get(0).reason().isBlank());
        assertEquals(1, sunk.size());
    }

    @Test
    void unlabelledImagesInAnyLayoutAreReadAndTheManifestIsSkippedUnread() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("batch/loose.png", png(1));
        entries.put("batch/deep/er/still.png", png(2));
        entries.put("batch/labels.csv", "not,a\nmanifest\n\"unclosed".getBytes(StandardCharsets.UTF_8));
        entries.put("batch/cut.png", TestImages.truncated(TestImages.png(TestImages.shapes(200, 200, 2)), 0.5));
        entries.put("batch/.DS_Store", random(100));
        List<String> undecodable = new ArrayList<>();
        ImageArchive archive = readUnlabelled(TestZips.zip(entries), new ArchiveImageSink() {
            @Override
            public void accept(ArchiveImage image) {
                sunk.add(image);
            }

            @Override
            public void undecodable(String path, byte[] bytes) {
                assertArrayEquals(entries.get(path), bytes);
                undecodable.add(path);
            }
        });
        assertEquals(List.of("batch/loose.png", "batch/deep/er/still.png"),
                archive.images().stream().map(LabelledImage::path).toList());
        assertNull(archive.images().get(0).label());
        assertNull(archive.images().get(0).split());
        assertEquals(List.of("batch/cut.png"), undecodable);
        assertEquals(2, archive.skippedEntries(), "the manifest and the junk");
        assertFalse(archive.labelledByManifest());
    }

    @Test
    void unlabelledReadsRefuseWhatLabelledReadsRefuse() {
        Map<String, byte[]> slip = new LinkedHashMap<>();
        slip.put("a.png", png(1));
        slip.put("../../evil.png", png(2));
        assertProblem(assertThrows(ProblemException.class, () -> readUnlabelled(TestZips.zip(slip), sunk::add)),
                DatasetProblem.ARCHIVE_PATH_TRAVERSAL, "../../evil.png");
        assertProblem(assertThrows(ProblemException.class, () -> readUnlabelled(TestZips.zip(Map.of("bomb.png",
                new byte[50 * 1024 * 1024])), sunk::add)), DatasetProblem.COMPRESSION_RATIO_TOO_HIGH, "bomb.png");
        assertProblem(assertThrows(ProblemException.class, () -> readUnlabelled(TestZips.zip(Map.of("notes.txt",
                "hello".getBytes(StandardCharsets.UTF_8))), sunk::add)), DatasetProblem.NOT_AN_IMAGE, "notes.txt");
        assertProblem(assertThrows(ProblemException.class, () -> readUnlabelled(TestZips.zip(Map.of("more.zip",
                TestZips.zip(Map.of("a.png", png(1))))), sunk::add)), DatasetProblem.NESTED_ARCHIVE, "more.zip");
    }

    @Test
    void aZipBombIsRefusedByItsCompressionRatio() {
        refused(DatasetProblem.COMPRESSION_RATIO_TOO_HIGH, "cat/bomb.png",
                Map.of("cat/bomb.png", new byte[50 * 1024 * 1024]));
    }

    @Test
    void aTinyHighlyCompressibleImageIsExemptFromTheRatio() throws IOException {
        java.awt.image.BufferedImage flat = new java.awt.image.BufferedImage(100, 100,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        byte[] bmp = TestImages.bmp(flat); // 30 KB of zeros: deflates several hundredfold
        assertEquals(1, read(TestZips.zip(Map.of("flat/black.bmp", bmp))).images().size());
    }

    @Test
    void tooManyEntriesAreRefusedNamingTheFirstPastTheLimit() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            entries.put("cat/" + i + ".txt", new byte[0]);
        }
        ProblemException refused = assertThrows(ProblemException.class,
                () -> reader(limits(10, 20L << 20, 2L << 30)).read(new ByteArrayInputStream(TestZips.zip(entries)),
                        sunk::add));
        assertProblem(refused, DatasetProblem.TOO_MANY_ARCHIVE_ENTRIES, "cat/10.txt");
        assertEquals(10L, refused.extensions().get("max"));
    }

    @Test
    void entryAndTotalSizesAreCountedWhileInflating() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        entries.put("cat/b.png", png(2));
        int size = entries.get("cat/a.png").length;
        assertProblem(assertThrows(ProblemException.class, () -> reader(limits(100, size - 1, 1L << 30))
                .read(new ByteArrayInputStream(TestZips.zip(entries)), sunk::add)),
                DatasetProblem.ARCHIVE_ENTRY_TOO_LARGE, "cat/a.png");
        assertProblem(assertThrows(ProblemException.class, () -> reader(limits(100, 1L << 20, size + 10))
                .read(new ByteArrayInputStream(TestZips.zip(entries)), sunk::add)),
                DatasetProblem.ARCHIVE_TOO_LARGE, "cat/b.png");
    }

    @Test
    void unsafePathsAreRefused() {
        refused(DatasetProblem.ARCHIVE_PATH_TRAVERSAL, "../evil.png", Map.of("../evil.png", png(1)));
        refused(DatasetProblem.ARCHIVE_PATH_TRAVERSAL, "cat/../../evil.png", Map.of("cat/../../evil.png", png(1)));
        refused(DatasetProblem.ARCHIVE_ABSOLUTE_PATH, "/etc/x.png", Map.of("/etc/x.png", png(1)));
        refused(DatasetProblem.ARCHIVE_ABSOLUTE_PATH, "C:/x.png", Map.of("C:/x.png", png(1)));
        refused(DatasetProblem.ARCHIVE_ABSOLUTE_PATH, "\\server\\x.png", Map.of("\\server\\x.png", png(1)));
    }

    @Test
    void aSymbolicLinkIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        entries.put("cat/link.png", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        byte[] zip = TestZips.withSymlink(TestZips.zip(entries), "cat/link.png");
        assertProblem(assertThrows(ProblemException.class, () -> read(zip)), DatasetProblem.ARCHIVE_SYMLINK,
                "cat/link.png");
        assertTrue(sunk.isEmpty(), "links are found before any entry is inflated");
    }

    @Test
    void anEncryptedEntryIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        byte[] zip = TestZips.withEncryptionFlag(TestZips.zip(entries), "cat/a.png");
        assertProblem(assertThrows(ProblemException.class, () -> read(zip)), DatasetProblem.ENCRYPTED_ARCHIVE_ENTRY,
                "cat/a.png");
    }

    @Test
    void nestedArchivesAreRefusedByNameAndByContent() {
        byte[] inner = TestZips.zip(Map.of("cat/a.png", png(1)));
        refused(DatasetProblem.NESTED_ARCHIVE, "more/images.zip", Map.of("more/images.zip", inner));
        refused(DatasetProblem.NESTED_ARCHIVE, "cat/sneaky.png", Map.of("cat/sneaky.png", inner));
        byte[] gzip = {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0};
        refused(DatasetProblem.NESTED_ARCHIVE, "cat/x.gz", Map.of("cat/x.gz", gzip));
    }

    @Test
    void anImageDeclaringTooManyPixelsIsRefusedBeforeDecoding() {
        ProblemException refused = refused(DatasetProblem.IMAGE_TOO_LARGE, "cat/huge.png",
                Map.of("cat/huge.png", TestImages.pngHeaderOnly(100_000, 100_000)));
        assertTrue(refused.detail().contains("100000 x 100000"), refused.detail());
    }

    @Test
    void aTruncatedArchiveIsMalformed() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        entries.put("dog/b.png", png(2));
        byte[] zip = TestZips.zip(entries);
        ProblemException refused = assertThrows(ProblemException.class,
                () -> read(java.util.Arrays.copyOf(zip, zip.length / 2)));
        assertEquals(DatasetProblem.MALFORMED_ARCHIVE.type(), refused.type());
        assertEquals(400, refused.status());
        assertThrows(ProblemException.class, () -> read("not a zip at all".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void damagedEntryBytesAreMalformedNamingTheEntry() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", TestImages.png(TestImages.shapes(300, 200, 9)));
        entries.put("dog/b.png", png(2));
        byte[] zip = TestZips.zip(entries);
        for (int i = 200; i < 220; i++) {
            zip[i] ^= 0x5A; // inside cat/a.png's compressed data (its local header and name end at byte 39)
        }
        assertProblem(assertThrows(ProblemException.class, () -> read(zip)), DatasetProblem.MALFORMED_ARCHIVE,
                "cat/a.png");
    }

    @Test
    void aFileThatIsNotAnImageIsRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cat/a.png", png(1));
        entries.put("cat/notes.exe", random(2000));
        refused(DatasetProblem.NOT_AN_IMAGE, "cat/notes.exe", entries);
    }

    private ProblemException refused(DatasetProblem expected, String entry, Map<String, byte[]> entries) {
        ProblemException refused = assertThrows(ProblemException.class, () -> read(TestZips.zip(entries)));
        assertProblem(refused, expected, entry);
        return refused;
    }

    private static void assertProblem(ProblemException refused, DatasetProblem expected, String entry) {
        assertEquals(expected.type(), refused.type(), refused.detail());
        assertEquals(expected.status(), refused.status());
        assertEquals(entry, refused.extensions().get("entry"));
        assertTrue(refused.detail().contains(entry), refused.detail());
    }

    private ImageArchive read(byte[] zip) throws IOException {
        return reader(ArchiveLimits.defaults()).read(new ByteArrayInputStream(zip), sunk::add);
    }

    private static ImageArchive readUnlabelled(byte[] zip, ArchiveImageSink sink) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("unlabelled-", ".zip");
        try {
            java.nio.file.Files.write(file, zip);
            return reader(ArchiveLimits.defaults()).readUnlabelled(file, sink);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private static ImageArchiveReader reader(ArchiveLimits limits) {
        return new ImageArchiveReader(limits);
    }

    private static ArchiveLimits limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        return new ArchiveLimits(maxEntries, maxEntryBytes, maxTotalBytes, 100, 64 * 1024, 1_000_000);
    }

    private static Map<String, String> labels(ImageArchive archive) {
        return archive.images().stream().collect(Collectors.toMap(LabelledImage::path, LabelledImage::label));
    }

    private static byte[] png(long seed) {
        return TestImages.png(TestImages.shapes(48, 32, seed));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

}

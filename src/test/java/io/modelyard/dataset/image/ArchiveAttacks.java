package io.modelyard.dataset.image;

import io.modelyard.image.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the crafted archives {@code bench/images.sh} uploads to the platform, one file each, named
 * {@code <expected problem type>--<what it is>.zip}. Each hides its attack among ordinary class-folder images.
 *
 * <p>Usage: {@code ArchiveAttacks <directory> [max entries]} (the platform's {@code max-entries}, default 50000).
 */
public final class ArchiveAttacks {

    private ArchiveAttacks() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int maxEntries = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Files.createDirectories(dir);
        write(dir, "compression-ratio-too-high", "bomb-by-ratio", TestZips.zip(withImages("cat/bomb.png",
                new byte[64 << 20])));
        write(dir, "too-many-archive-entries", "bomb-by-entry-count", manyEntries(maxEntries + 1));
        write(dir, "archive-path-traversal", "zip-slip", TestZips.zip(withImages("../../etc/cron.d/evil.png", png(9))));
        write(dir, "archive-absolute-path", "absolute-path", TestZips.zip(withImages("/etc/evil.png", png(9))));
        write(dir, "archive-symlink", "symlink", TestZips.withSymlink(TestZips.zip(withImages("cat/link.png",
                "/etc/passwd".getBytes())), "cat/link.png"));
        write(dir, "nested-archive", "nested-zip", TestZips.zip(withImages("more/images.zip",
                TestZips.zip(Map.of("cat/a.png", png(1))))));
        write(dir, "nested-archive", "nested-gzip-named-png", TestZips.zip(withImages("cat/x.png", gzip(png(1)))));
        write(dir, "encrypted-archive-entry", "encrypted", TestZips.withEncryptionFlag(TestZips.zip(withImages(
                "cat/secret.png", png(9))), "cat/secret.png"));
        write(dir, "image-too-large", "oversized-pixel-count", TestZips.zip(withImages("cat/huge.png",
                TestImages.pngHeaderOnly(100_000, 100_000))));
        byte[] whole = TestZips.zip(withImages("cat/last.png", png(9)));
        write(dir, "malformed-archive", "truncated", java.util.Arrays.copyOf(whole, whole.length / 2));
        write(dir, "not-an-image", "non-image-file", TestZips.zip(withImages("dog/setup.exe",
                new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0})));
    }

    /** Ordinary images of two classes, then the attack's entry. */
    private static Map<String, byte[]> withImages(String name, byte[] bytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            entries.put((i % 2 == 0 ? "cat/" : "dog/") + i + ".png", png(i));
        }
        entries.put(name, bytes);
        return entries;
    }

    private static byte[] png(long seed) {
        return TestImages.png(TestImages.shapes(24, 24, seed));
    }

    private static byte[] manyEntries(int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("cat/0.png"));
            zip.write(png(0));
            zip.closeEntry();
            for (int i = 1; i < count; i++) {
                zip.putNextEntry(new ZipEntry("d/" + i + "/"));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void write(Path dir, String problem, String name, byte[] zip) throws IOException {
        Files.write(dir.resolve(problem + "--" + name + ".zip"), zip);
    }
}

package io.modelyard.ml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Named byte entries in and out of a zip held in memory: the container of artifacts and checkpoints. */
public final class ZipBytes {

    private ZipBytes() {
    }

    /** Stores the entries in order, uncompressed: weights are float noise to a compressor, storing is as small. */
    public static byte[] write(Map<String, byte[]> entries) throws IOException {
        return write(entries, Set.of());
    }

    /** As {@link #write(Map)}, deflating the entries named in {@code deflated}. */
    public static byte[] write(Map<String, byte[]> entries, Set<String> deflated) throws IOException {
        int size = entries.values().stream().mapToInt(b -> b.length).sum();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size + 1024);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.setLevel(deflated.contains(entry.getKey()) ? Deflater.BEST_COMPRESSION : Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static Map<String, byte[]> read(byte[] zipped) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipped))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}

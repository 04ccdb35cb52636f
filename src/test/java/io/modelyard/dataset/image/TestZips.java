package io.modelyard.dataset.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips built in memory, and the raw-byte surgery for what ZipOutputStream will not write. */
final class TestZips {

    private TestZips() {
    }

    /** A zip of these entries in this order; a name ending in '/' is a folder. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                if (!entry.getKey().endsWith("/")) {
                    zip.write(entry.getValue());
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Marks the entry as a Unix symbolic link (mode 0120777, made by Unix) in the central directory. */
    static byte[] withSymlink(byte[] zip, String name) {
        ByteBuffer buffer = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int record = centralRecord(buffer, name);
        buffer.putShort(record + 4, (short) (3 << 8 | 20)); // version made by: Unix, 2.0
        buffer.putInt(record + 38, 0120777 << 16);
        return buffer.array();
    }

    /** Sets general purpose bit 0 (encrypted) in the entry's local header and central directory record. */
    static byte[] withEncryptionFlag(byte[] zip, String name) {
        ByteBuffer buffer = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int record = centralRecord(buffer, name);
        buffer.putShort(record + 8, (short) (buffer.getShort(record + 8) | 1));
        int local = buffer.getInt(record + 42);
        buffer.putShort(local + 6, (short) (buffer.getShort(local + 6) | 1));
        return buffer.array();
    }

    private static int centralRecord(ByteBuffer buffer, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= buffer.capacity(); at++) {
            if (buffer.getInt(at) == 0x02014b50 && (buffer.getShort(at + 28) & 0xFFFF) == wanted.length) {
                byte[] actual = new byte[wanted.length];
                buffer.get(at + 46, actual);
                if (java.util.Arrays.equals(actual, wanted)) {
                    return at;
                }
            }
        }
        throw new IllegalArgumentException("No central directory record for " + name);
    }
}

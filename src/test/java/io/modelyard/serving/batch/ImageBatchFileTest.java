package io.modelyard.serving.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageBatchFileTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @Test
    void recordsReadBackInOrderWithTheirPathsIdsAndBytes() throws IOException {
        byte[] file = write(new byte[] {1, 2, 3}, new byte[0]);
        try (ImageBatchFile.Reader reader = new ImageBatchFile.Reader(new ByteArrayInputStream(file), 100)) {
            assertTrue(reader.next());
            assertEquals("photos/ünïcode, with comma.png", reader.path());
            assertEquals(SHA_A, reader.sha256());
            assertArrayEquals(new byte[] {1, 2, 3}, reader.bytes());
            assertTrue(reader.next());
            assertEquals("b.jpg", reader.path());
            assertEquals(SHA_B, reader.sha256());
            assertArrayEquals(new byte[0], reader.bytes());
            assertFalse(reader.next());
            assertFalse(reader.next());
        }
    }

    @Test
    void aTruncatedOrForeignFileIsAnError() throws IOException {
        byte[] file = write(new byte[] {1, 2, 3}, new byte[] {4, 5});
        byte[] cut = Arrays.copyOf(file, file.length - 1);
        try (ImageBatchFile.Reader reader = new ImageBatchFile.Reader(new ByteArrayInputStream(cut), 100)) {
            assertTrue(reader.next());
            assertThrows(EOFException.class, reader::next);
        }
        assertThrows(IOException.class, () -> new ImageBatchFile.Reader(new ByteArrayInputStream(
                "text\nhello\n".getBytes(StandardCharsets.UTF_8)), 100));
        try (ImageBatchFile.Reader reader = new ImageBatchFile.Reader(new ByteArrayInputStream(file), 2)) {
            assertThrows(IOException.class, reader::next, "a record longer than any image is damage");
        }
    }

    @Test
    void onlyEntryNamesAndDigestsAreWritten() {
        assertThrows(IllegalArgumentException.class, () -> new ImageBatchFile.Writer(new ByteArrayOutputStream())
                .write("a.png", "not a digest", new byte[1]));
    }

    private static byte[] write(byte[] first, byte[] second) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageBatchFile.Writer writer = new ImageBatchFile.Writer(out);
        writer.write("photos/ünïcode, with comma.png", SHA_A, first);
        writer.write("b.jpg", SHA_B, second);
        writer.flush();
        assertEquals(2, writer.records());
        return out.toByteArray();
    }
}

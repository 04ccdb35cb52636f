package io.modelyard.dataset.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelyard.common.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static final String BOUNDARY = "----modelyard-boundary-7MA4YWxkTrZu0gW";

    private static byte[] form(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "preamble to ignore\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n"
                + "{\"task\":\"text_classification\"}\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"reviews.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n");
        out.write(file, 0, file.length);
        write(out, "\r\n--" + BOUNDARY + "--\r\nepilogue");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** Hands out at most a few bytes per read, so boundaries straddle every buffer edge. */
    private static InputStream trickle(byte[] bytes, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7000)));
            }
        };
    }

    @Test
    void partsStreamInOrderWhateverTheReadSizes() throws IOException {
        // Content full of near-boundaries: CRLF, dashes, the boundary not after a line break (a client picks a
        // boundary that never follows a line break in the content: RFC 2046).
        StringBuilder file = new StringBuilder("text,label\r\n");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            file.append(switch (random.nextInt(4)) {
                case 0 -> "--" + BOUNDARY.substring(0, 10) + ",a\r\n";
                case 1 -> "\r\n--,b\r\n";
                case 2 -> "x--" + BOUNDARY + ",c\n"; // a boundary, but not after a line break
                default -> "row " + i + ",d\r\n";
            });
        }
        byte[] content = file.toString().getBytes(StandardCharsets.UTF_8);
        for (int seed = 0; seed < 5; seed++) {
            MultipartReader reader = MultipartReader.open(trickle(form(content), seed),
                    "multipart/form-data; boundary=" + BOUNDARY);
            MultipartReader.Part options = reader.next();
            assertEquals("options", options.name());
            assertEquals("application/json", options.contentType());
            assertEquals("{\"task\":\"text_classification\"}",
                    new String(options.content().readAllBytes(), StandardCharsets.UTF_8));
            MultipartReader.Part file1 = reader.next();
            assertEquals("file", file1.name());
            assertEquals("reviews.csv", file1.filename());
            assertEquals("text/csv", file1.contentType());
            assertArrayEquals(content, file1.content().readAllBytes());
            assertNull(reader.next());
        }
    }

    @Test
    void anUnreadPartIsSkippedAndAQuotedBoundaryIsAccepted() throws IOException {
        MultipartReader reader = MultipartReader.open(new ByteArrayInputStream(form("a,b\n".getBytes(
                StandardCharsets.UTF_8))), "multipart/form-data; boundary=\"" + BOUNDARY + "\"");
        reader.next();
        assertEquals("a,b\n", new String(reader.next().content().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aBodyCutOffBeforeItsClosingBoundaryIsRefused() throws IOException {
        byte[] whole = form("text,label\nx,y\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        MultipartReader reader = MultipartReader.open(new ByteArrayInputStream(cut),
                "multipart/form-data; boundary=" + BOUNDARY);
        reader.next();
        InputStream file = reader.next().content();
        ProblemException e = assertThrows(ProblemException.class, file::readAllBytes);
        assertEquals("malformed-multipart", e.type());
        assertThrows(ProblemException.class, () -> MultipartReader.open(new ByteArrayInputStream(whole),
                "multipart/form-data"));
    }

    @Test
    void aBodyShorterThanItsContentLengthFailsInsteadOfEndingEarly() throws IOException {
        UploadBody body = new UploadBody(new ByteArrayInputStream(new byte[10]), 20);
        assertThrows(EOFException.class, body::readAllBytes);
        assertEquals(true, body.failed());
        UploadBody whole = new UploadBody(new ByteArrayInputStream(new byte[20]), 20);
        assertEquals(20, whole.readAllBytes().length);
        assertEquals(true, whole.ended());
    }
}

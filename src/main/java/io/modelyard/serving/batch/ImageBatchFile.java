package io.modelyard.serving.batch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The images of an uploaded zip as a batch prediction stores them: one blob of records, one per image file in
 * archive order, each its path inside the zip, its SHA-256 and its bytes. The zip itself is not kept: it was read
 * once, never trusted, by the dataset reader; the job then reads these records front to back, a row at a time,
 * without parsing an archive again.
 *
 * <p>Layout: the magic line, then per record a 4-byte length and the path in UTF-8, the 64 hex characters of the
 * SHA-256, a 4-byte length and the bytes.
 */
final class ImageBatchFile {

    private static final byte[] MAGIC = "modelyard-batch-images/1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PATH_BYTES = 65_535; // a zip entry's name cannot be longer

    private ImageBatchFile() {
    }

    /** Writes records to a stream the caller owns (and closes). */
    static final class Writer {

        private final DataOutputStream out;
        private long records;

        Writer(OutputStream out) throws IOException {
            this.out = new DataOutputStream(out);
            this.out.write(MAGIC);
        }

        void write(String path, String sha256, byte[] bytes) throws IOException {
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_PATH_BYTES || sha256.length() != 64) {
                throw new IllegalArgumentException("Not an archive entry: " + path);
            }
            out.writeInt(name.length);
            out.write(name);
            out.write(sha256.getBytes(StandardCharsets.US_ASCII));
            out.writeInt(bytes.length);
            out.write(bytes);
            records++;
        }

        long records() {
            return records;
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    /** Reads records one at a time; closing closes the stream. */
    static final class Reader implements AutoCloseable {

        private final DataInputStream in;
        private final int maxImageBytes;
        private String path;
        private String sha256;
        private byte[] bytes;

        /** @param maxImageBytes the largest image a record may hold (a longer one means the file is damaged) */
        Reader(InputStream in, int maxImageBytes) throws IOException {
            this.in = new DataInputStream(in);
            this.maxImageBytes = maxImageBytes;
            byte[] magic = this.in.readNBytes(MAGIC.length);
            if (!Arrays.equals(MAGIC, magic)) {
                throw new IOException("Not a batch prediction's image file");
            }
        }

        /** Advances to the next image; false after the last. */
        boolean next() throws IOException {
            int nameLength;
            try {
                nameLength = in.readInt();
            } catch (EOFException end) {
                path = null;
                sha256 = null;
                bytes = null;
                return false;
            }
            path = new String(read(nameLength, MAX_PATH_BYTES), StandardCharsets.UTF_8);
            sha256 = new String(read(64, 64), StandardCharsets.US_ASCII);
            bytes = read(in.readInt(), maxImageBytes);
            return true;
        }

        /** The current image's path inside the uploaded zip. */
        String path() {
            return path;
        }

        /** The current image's SHA-256 (lowercase hex): its id, as in an image dataset. */
        String sha256() {
            return sha256;
        }

        /** The current image's bytes, as uploaded. */
        byte[] bytes() {
            return bytes;
        }

        private byte[] read(int length, int max) throws IOException {
            if (length < 0 || length > max) {
                throw new IOException("Damaged batch prediction image file: a record of " + length + " bytes");
            }
            byte[] read = in.readNBytes(length);
            if (read.length != length) {
                throw new EOFException("Truncated batch prediction image file");
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

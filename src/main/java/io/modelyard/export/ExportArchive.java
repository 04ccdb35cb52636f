package io.modelyard.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobWriter;
import io.modelyard.storage.Sha256;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One export archive being written: a zip streamed through a {@link BlobWriter}, one entry after another, so
 * that neither the archive nor a file in it is ever held whole in memory. Every entry is counted and hashed
 * on its way in, for {@code manifest.json}, which is written last. Closing without {@link #finish} aborts the
 * blob: a failed or cancelled run leaves nothing behind.
 */
final class ExportArchive implements AutoCloseable {

    static final String MANIFEST = "manifest.json";

    /** One file of the archive, as the manifest lists it. */
    record FileEntry(String path, long sizeBytes, String sha256) {
    }

    /** What the manifest says besides the files. */
    record Manifest(String object, String tenantId, String exportId, Instant createdAt, int fileCount,
            List<FileEntry> files) {
    }

    /** Writes one file's content; the stream must not be closed. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the elements of a JSON array, one {@code json.writeValue(generator, element)} after another. */
    @FunctionalInterface
    interface Elements {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    private final BlobWriter blob;
    private final ZipOutputStream zip;
    private final ObjectMapper json;
    private final List<FileEntry> files = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();

    ExportArchive(BlobWriter blob, ObjectMapper json) {
        this.blob = blob;
        this.json = json;
        this.zip = new ZipOutputStream(new BufferedOutputStream(blob, 1 << 16), StandardCharsets.UTF_8);
    }

    void file(String path, Content content) throws IOException {
        if (!paths.add(path)) {
            throw new IllegalStateException("The archive already holds " + path);
        }
        ZipEntry entry = new ZipEntry(path);
        zip.putNextEntry(entry);
        CountingDigest out = new CountingDigest(zip);
        content.writeTo(out);
        out.flush();
        zip.closeEntry();
        files.add(new FileEntry(path, out.count, Sha256.hex(out.digest.digest())));
    }

    /** A file copied from a stream as it is (the stream is closed after). */
    void copy(String path, InputStream in) throws IOException {
        try (in) {
            file(path, in::transferTo);
        }
    }

    void json(String path, Object value) throws IOException {
        file(path, out -> json.writerWithDefaultPrettyPrinter().writeValue(out, value));
    }

    /** A JSON array written element by element (from a paged source). */
    void jsonArray(String path, Elements elements) throws IOException {
        file(path, out -> {
            try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
                generator.useDefaultPrettyPrinter();
                generator.writeStartArray();
                elements.writeTo(generator);
                generator.writeEndArray();
            }
        });
    }

    /** One JSON Lines record, to a stream given to {@link #file}. */
    void line(OutputStream out, Object value) throws IOException {
        out.write(json.writeValueAsBytes(value));
        out.write('\n');
    }

    /** Files written so far; after {@link #finish}, the manifest included. */
    int fileCount() {
        return files.size();
    }

    /** Writes the manifest (every file so far, then itself) and stores the archive. */
    BlobInfo finish(String tenantId, String exportId, Instant createdAt) throws IOException {
        Manifest manifest = new Manifest("tenant_export_manifest", tenantId, exportId, createdAt, files.size() + 1,
                List.copyOf(files));
        json(MANIFEST, manifest);
        zip.finish();
        zip.flush();
        return blob.commit();
    }

    /** Aborts the blob unless it was committed, and frees the zip's native deflater either way. */
    @Override
    public void close() {
        blob.abort();
        try {
            zip.close();
        } catch (IOException e) {
            // Expected after an abort: the zip's trailer has nowhere to go, and nothing should.
        }
    }

    /**
     * Counts and hashes what passes to the zip entry; closing it only flushes, so a JSON writer that closes its
     * target cannot close the zip.
     */
    private static final class CountingDigest extends FilterOutputStream {

        final MessageDigest digest = Sha256.newDigest();
        long count;

        CountingDigest(OutputStream zip) {
            super(zip);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

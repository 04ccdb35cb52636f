package io.modelyard.dataset.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.IngestRequest;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.dataset.ingest.SourceFormat;
import io.modelyard.dataset.split.Split;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobIntegrityException;
import io.modelyard.storage.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionReaderTest {

    @TempDir
    Path dir;
    FileSystemBlobStore store;
    IngestResult version;

    @BeforeEach
    void ingest() throws IOException {
        store = new FileSystemBlobStore(dir.resolve("blobs"), false);
        String csv = "x,amount,label\n"
                + "=HYPERLINK(\"http://evil\"),1.5,a\n"
                + "+cmd,-2,b\n"
                + "-minus,3,a\n"
                + "@at,,b\n"
                + "\"\ttab\",5,a\n"
                + "plain,6,b\n"
                + "\"line\nbreak\",7,a\n"
                + "\"\rcarriage return first\",8,b\n"
                + "\"\nline feed first\",9,a\n";
        version = new DatasetPipeline(store, dir).ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                new IngestRequest(SourceFormat.csv(), TaskType.TABULAR_CLASSIFICATION, null,
                        io.modelyard.dataset.ingest.IngestOptions.DEFAULTS.withCleaning(
                                io.modelyard.dataset.cleaning.CleaningOptions.DEFAULTS
                                        .withWhitespace(io.modelyard.dataset.cleaning.CleaningOptions.Whitespace.KEEP)
                                        .withMissing(io.modelyard.dataset.cleaning.CleaningOptions.Missing.KEEP,
                                                java.util.Map.of())),
                        "t/raw.csv", "t/v1.csv", Long.MAX_VALUE));
    }

    @Test
    void readsEveryRowWithItsSplit() throws IOException {
        try (VersionReader reader = VersionReader.open(store, version.version())) {
            assertEquals(List.of("x", "amount", "label"), reader.columns());
            int rows = 0;
            while (reader.next()) {
                assertEquals(rows, reader.index());
                assertTrue(List.of(Split.values()).contains(reader.split()));
                rows++;
            }
            assertEquals(9, rows);
        }
    }

    @Test
    void pagesByOffsetAndLimit() throws IOException {
        assertEquals(1, version.rowIndex().offsets().length, "one indexed row (row 0) in a small version");
        for (RowIndex index : List.of(version.rowIndex(), RowIndex.NONE)) {
            RowPage page = VersionReader.page(store, version.version(), index, 2, 3);
            assertEquals(List.of(2L, 3L, 4L), page.rows().stream().map(VersionRow::index).toList());
            assertEquals("-minus", page.rows().get(0).values().get(0));
            assertTrue(page.hasMore());
            RowPage last = VersionReader.page(store, version.version(), index, 5, 10);
            assertEquals(4, last.rows().size());
            assertFalse(last.hasMore());
            assertEquals(0, VersionReader.page(store, version.version(), index, 50, 10).rows().size());
        }
    }

    @Test
    void aDeepPageReadsFromTheNearestIndexedRowAndEqualsAFullScan() throws IOException {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 25_000; i++) {
            // quoted fields with line breaks, so that a wrong offset would land inside a row
            csv.append("\"row ").append(i).append("\nline two, with a comma\",").append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        IngestResult big = new DatasetPipeline(store, dir).ingest(
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                new IngestRequest(SourceFormat.csv(), TaskType.TEXT_CLASSIFICATION, null,
                        io.modelyard.dataset.ingest.IngestOptions.DEFAULTS, "t/big-raw.csv", "t/big-v1.csv",
                        Long.MAX_VALUE));
        assertEquals(3, big.rowIndex().offsets().length, "rows 0, 10,000 and 20,000 are indexed");
        for (long offset : List.of(0L, 9_999L, 10_000L, 17_345L, 24_990L)) {
            RowPage indexed = VersionReader.page(store, big.version(), big.rowIndex(), offset, 20);
            RowPage scanned = VersionReader.page(store, big.version(), RowIndex.NONE, offset, 20);
            assertEquals(scanned.rows(), indexed.rows(), "page at " + offset);
            assertEquals(offset, indexed.rows().get(0).index());
            assertEquals(scanned.hasMore(), indexed.hasMore());
        }
    }

    @Test
    void csvDownloadEscapesFormulaCells() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VersionReader reader = VersionReader.open(store, version.version())) {
            VersionExporter.csv(reader, out, true, CsvWriter.FormulaEscaping.ALL);
        }
        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n", -1));
        assertEquals("x,amount,label,split", lines.get(0));
        assertTrue(lines.get(1).startsWith("\"'=HYPERLINK(\"\"http://evil\"\")\",1.5,a,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("'+cmd,'-2,b,"), lines.get(2));
        assertTrue(lines.get(3).startsWith("'-minus,3,a,"), lines.get(3));
        assertTrue(lines.get(4).startsWith("'@at,,b,"), lines.get(4));
        assertTrue(lines.get(5).startsWith("'\ttab,5,a,"), lines.get(5));
        assertTrue(lines.get(6).startsWith("plain,6,b,"), lines.get(6));
        assertTrue(lines.get(7).startsWith("\"line"), "only a cell that begins with a trigger is escaped");
        assertTrue(lines.get(9).startsWith("\"'\rcarriage return first\",8,b,"), lines.get(9));
        assertTrue(lines.get(10).startsWith("\"'"), lines.get(10));
        assertTrue(lines.get(11).startsWith("line feed first\",9,a,"), lines.get(11));
    }

    @Test
    void jsonLinesDownloadHasTypedValues() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VersionReader reader = VersionReader.open(store, version.version())) {
            assertEquals(9, VersionExporter.jsonl(reader, version.columnTypes(), out, true));
        }
        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals(9, lines.size(), "line breaks inside values are escaped in JSON");
        assertTrue(lines.get(0).startsWith("{\"x\":\"=HYPERLINK(\\\"http://evil\\\")\",\"amount\":1.5,\"label\":\"a\","
                + "\"split\":\""), lines.get(0));
        assertTrue(lines.get(3).contains("\"amount\":null"), lines.get(3));
        assertTrue(lines.get(1).contains("\"amount\":-2,"), lines.get(1));
    }

    @Test
    void aDamagedVersionFailsItsCheckOnRead() throws IOException {
        Path file = store.pathOf(version.version().key());
        Files.writeString(file, Files.readString(file).replace("plain", "PLAIN"));
        assertThrows(BlobIntegrityException.class, () -> {
            try (VersionReader reader = VersionReader.open(store, version.version())) {
                while (reader.next()) {
                    // reading to the end checks the digest
                }
            }
        });
    }
}

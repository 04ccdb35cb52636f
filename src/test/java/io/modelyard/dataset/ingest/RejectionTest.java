package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.format.Problems;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input: its status, problem type and place, and nothing left in the store afterwards. */
class RejectionTest {

    @TempDir
    Path dir;
    PipelineFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PipelineFixture(dir);
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        fixture.assertNothingStored();
        // The pipeline's helper threads end with the call that started them, failed or not.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("ingest-"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ingest threads left running: " + Thread.getAllStackTraces().keySet());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aVersionOverItsByteLimitIsRefusedAndLeavesNothing() {
        IngestOptions small = new IngestOptions(null, null, null, 100, 1000, 4096);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("distinct row ").append(i).append(i % 2 == 0 ? ",pos\n" : ",neg\n");
        }
        BlobTooLargeException e = assertThrows(BlobTooLargeException.class,
                () -> fixture.ingest(csv.toString(), TaskType.TEXT_CLASSIFICATION, null, small));
        assertEquals(4096, e.maxBytes());
    }

    @Test
    void aLateProblemStopsEverythingAlreadyWritten() {
        // 20,000 good rows fill several batches and blob buffers before row 202 turns out ragged.
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("row number ").append(i).append(i % 2 == 0 ? ",pos\n" : ",neg\n");
        }
        csv.append("ragged,row,here\n");
        ProblemException e = text(DatasetProblem.RAGGED_ROW, csv.toString());
        assertEquals(20_002L, e.extensions().get("row"));
    }

    private ProblemException text(DatasetProblem expected, String csv) {
        return Problems.expect(expected, () -> fixture.text(csv));
    }

    private ProblemException tabular(DatasetProblem expected, TaskType task, String csv, IngestOptions options) {
        return Problems.expect(expected, () -> fixture.ingest(csv, task, null, options));
    }

    @Test
    void invalidUtf8Is400NamingTheFirstBadRow() {
        byte[] bytes = "text,label\nfine,a\nalso fine,b\nbad \u00e9,a\n".getBytes(StandardCharsets.ISO_8859_1);
        ProblemException e = Problems.expectAt(DatasetProblem.INVALID_UTF8, 4, () -> fixture.ingest(
                new ByteArrayInputStream(bytes), SourceFormat.csv(), TaskType.TEXT_CLASSIFICATION, null,
                IngestOptions.DEFAULTS, Long.MAX_VALUE));
        assertEquals(400, e.status());
        assertEquals("text", e.extensions().get("column"));
    }

    @Test
    void nulBytesAre400() {
        ProblemException e = text(DatasetProblem.NUL_BYTE, "text,label\nok,a\nnot\0ok,b\n");
        assertEquals(3L, e.extensions().get("row"));
    }

    @Test
    void brokenQuotingIs400() {
        text(DatasetProblem.MALFORMED_CSV, "text,label\n\"unterminated,a\nmore,b\n");
    }

    @Test
    void raggedRowsAre422() {
        ProblemException e = text(DatasetProblem.RAGGED_ROW, "text,label\na,pos\nb,neg,extra\n");
        assertEquals(3L, e.extensions().get("row"));
        assertEquals(422, e.status());
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAre422() {
        text(DatasetProblem.EMPTY_DATASET, "");
        ProblemException headerOnly = text(DatasetProblem.EMPTY_DATASET, "text,label\n");
        assertTrue(headerOnly.detail().contains("no data rows"), headerOnly.detail());
    }

    @Test
    void aFileWithoutHeaderIs422() {
        tabular(DatasetProblem.MISSING_HEADER, TaskType.TABULAR_REGRESSION, "1.5,2,3\n4,5,6\n", IngestOptions.DEFAULTS);
    }

    @Test
    void aMissingLabelColumnIs422NamingTheColumns() {
        ProblemException e = text(DatasetProblem.MISSING_COLUMN, "id,text,notes\n1,hello,x\n");
        assertEquals(List.of("id", "text", "notes"), e.extensions().get("available_columns"));
    }

    @Test
    void aSingleClassIs422() {
        ProblemException e = text(DatasetProblem.SINGLE_CLASS, "text,label\na,pos\nb, pos\nc,pos \n,neg\n");
        assertEquals("pos", e.extensions().get("label"));
    }

    @Test
    void aNonNumericRegressionTargetIs422ListingTheRows() {
        ProblemException e = tabular(DatasetProblem.NON_NUMERIC_TARGET, TaskType.TABULAR_REGRESSION,
                "x,y\n1,2.5\n2,abc\n3,4\n4,1e3\n5,12 kg\n", IngestOptions.DEFAULTS);
        assertEquals(3L, e.extensions().get("row"));
        assertEquals("y", e.extensions().get("column"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) e.extensions().get("errors");
        assertEquals(List.of(3L, 6L), errors.stream().map(m -> m.get("row")).toList());
        assertEquals(Map.of("non_numeric_target", 2L), e.extensions().get("totals"));
    }

    @Test
    void anInvalidSplitValueIs422() {
        ProblemException e = text(DatasetProblem.INVALID_SPLIT_VALUE,
                "text,label,split\na,pos,train\nb,neg,holdout\nc,pos,test\n");
        assertEquals(3L, e.extensions().get("row"));
        assertEquals("split", e.extensions().get("column"));
    }

    @Test
    void askingForASplitColumnThatIsNotThereIs422() {
        Problems.expect(DatasetProblem.MISSING_COLUMN, () -> fixture.ingest("text,label\na,pos\nb,neg\n",
                TaskType.TEXT_CLASSIFICATION, null,
                IngestOptions.DEFAULTS.withSplit(SplitOptions.DEFAULTS.withSource(SplitOptions.Source.COLUMN))));
    }

    @Test
    void rowsWithoutAnyLabelAre422() {
        text(DatasetProblem.NO_USABLE_ROWS, "text,label\na,\nb, \n");
    }

    @Test
    void configuredLimitsAre422() {
        IngestOptions tiny = IngestOptions.DEFAULTS.withLimits(new ParseLimits(10, 100, 3, 2));
        ProblemException field = Problems.expect(DatasetProblem.FIELD_TOO_LONG, () -> fixture.ingest(
                "text,label\nshort,a\nmuch too long,b\n", TaskType.TEXT_CLASSIFICATION, null, tiny));
        assertEquals(3L, field.extensions().get("row"));
        Problems.expect(DatasetProblem.TOO_MANY_COLUMNS, () -> fixture.ingest("a,b,c,label\n1,2,3,x\n",
                TaskType.TABULAR_CLASSIFICATION, null, tiny));
        Problems.expect(DatasetProblem.TOO_MANY_ROWS, () -> fixture.ingest("text,label\na,x\nb,y\nc,x\n",
                TaskType.TEXT_CLASSIFICATION, null, tiny));
        IngestOptions threeClasses = new IngestOptions(null, null, null, 100, 3, Long.MAX_VALUE);
        Problems.expect(DatasetProblem.TOO_MANY_CLASSES, () -> fixture.ingest("text,label\na,w\nb,x\nc,y\nd,z\n",
                TaskType.TEXT_CLASSIFICATION, null, threeClasses));
    }

    @Test
    void aOneMebibyteAndOneByteFieldIs422() {
        String tooBig = "a".repeat((1 << 20) + 1);
        ProblemException e = text(DatasetProblem.FIELD_TOO_LONG, "text,label\n" + tooBig + ",pos\n");
        assertEquals("max_field_bytes", e.extensions().get("limit"));
    }

    @Test
    void tenMegabytesAndOneByteUnderATenMegabyteLimitIs413() {
        long limit = 10L * 1024 * 1024;
        BlobTooLargeException e = assertThrows(BlobTooLargeException.class, () -> fixture.ingest(
                new GeneratedCsv(limit + 1), SourceFormat.csv(), TaskType.TEXT_CLASSIFICATION, null,
                IngestOptions.DEFAULTS, limit));
        assertEquals(413, e.status());
        assertEquals("payload-too-large", e.type());
        assertEquals(limit, e.maxBytes());
    }

    @Test
    void exactlyTheLimitIsAccepted() throws IOException {
        long limit = 1024 * 1024;
        IngestResult result = fixture.ingest(new GeneratedCsv(limit), SourceFormat.csv(),
                TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS, limit);
        assertEquals(limit, result.raw().size());
        fixture.store.deleteByPrefix("");
    }

    @Test
    void anUploadCutOffHalfwayLeavesNothing() {
        byte[] start = "text,label\nfirst,pos\nsecond,neg\nthi".getBytes(StandardCharsets.UTF_8);
        InputStream cut = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == start.length) {
                    throw new IOException("connection reset by peer");
                }
                return start[pos++];
            }
        };
        IOException e = assertThrows(IOException.class, () -> fixture.ingest(cut, SourceFormat.csv(),
                TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS, Long.MAX_VALUE));
        assertEquals("connection reset by peer", e.getMessage());
    }

    @Test
    void tabularRejectionsLeaveNoCandidateFile() {
        tabular(DatasetProblem.SINGLE_CLASS, TaskType.TABULAR_CLASSIFICATION, "x,label\n1,a\n2,a\n",
                IngestOptions.DEFAULTS);
    }

    @Test
    void malformedJsonLinesAre400() {
        byte[] jsonl = "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\": \"b\", \"label\": }\n".getBytes(StandardCharsets.UTF_8);
        Problems.expectAt(DatasetProblem.MALFORMED_JSONL, 2, () -> fixture.ingest(new ByteArrayInputStream(jsonl),
                SourceFormat.jsonl(), TaskType.TEXT_CLASSIFICATION, ColumnMap.GUESS, IngestOptions.DEFAULTS,
                Long.MAX_VALUE));
    }

    /** A valid text CSV of exactly {@code size} bytes, generated as it is read. */
    static final class GeneratedCsv extends InputStream {

        private static final byte[] HEADER = "text,label\n".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        GeneratedCsv(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position == size) {
                return -1;
            }
            long p = position++;
            if (p < HEADER.length) {
                return HEADER[(int) p];
            }
            // Rows of 50 bytes ("<44 letters>,pos\n" or neg); the remainder is one shorter row, or blank
            // lines when too short for one.
            long q = p - HEADER.length;
            long fullRows = (size - HEADER.length) / 50;
            long rest = (size - HEADER.length) % 50;
            long row = q / 50;
            long offset = q % 50;
            long rowLength = row < fullRows ? 50 : rest;
            if (rowLength < 6) {
                return '\n';
            }
            long tail = offset - (rowLength - 5);
            if (tail >= 0) {
                return (row % 2 == 0 ? ",pos\n" : ",neg\n").charAt((int) tail);
            }
            return 'a' + (int) ((row * 31 + offset * 7) % 26);
        }
    }
}

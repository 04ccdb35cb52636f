package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static CsvReader reader(String csv) throws IOException {
        return reader(csv.getBytes(StandardCharsets.UTF_8), null, ParseLimits.DEFAULTS);
    }

    static CsvReader reader(byte[] csv, Character delimiter, ParseLimits limits) throws IOException {
        return new CsvReader(new ByteArrayInputStream(csv), delimiter, limits);
    }

    /** Every record as a list, after the header. */
    static List<List<String>> rows(CsvReader reader) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        while (reader.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < reader.size(); i++) {
                row.add(reader.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws IOException {
        CsvReader reader = reader("text,label\r\n"
                + "\"Great, really\",pos\r\n"
                + "\"She said \"\"no\"\"\",neg\r\n"
                + "\"two\nlines\",pos\n"
                + "\"crlf\r\ninside\",neg\r\n"
                + "plain,\"\"\n"
                + "last,pos");
        assertEquals(List.of("text", "label"), reader.header());
        assertEquals(List.of(
                List.of("Great, really", "pos"),
                List.of("She said \"no\"", "neg"),
                List.of("two\nlines", "pos"),
                List.of("crlf\r\ninside", "neg"),
                List.of("plain", ""),
                List.of("last", "pos")), rows(reader));
    }

    @Test
    void rowNumbersCountTheHeaderAsRowOneAndSkippedBlankLines() throws IOException {
        CsvReader reader = reader("a,b\n1,2\n\n\"x\ny\",3\n4,5\n");
        List<Long> rows = new ArrayList<>();
        while (reader.next()) {
            rows.add(reader.row());
        }
        // Blank line 3 is skipped but counted; the quoted line break does not start a new row.
        assertEquals(List.of(2L, 4L, 5L), rows);
        assertEquals(3, reader.records());
    }

    @Test
    void bomIsSkippedAndFieldsDecodeAsUtf8() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "name,label\ncafé 😀,ok\n".getBytes(StandardCharsets.UTF_8);
        byte[] file = concat(bom, body);
        CsvReader reader = reader(file, null, ParseLimits.DEFAULTS);
        assertEquals(List.of("name", "label"), reader.header());
        assertEquals(List.of(List.of("café 😀", "ok")), rows(reader));
    }

    @Test
    void delimiterIsSniffedOrDeclared() throws IOException {
        assertEquals(';', reader("a;b;c\n1;\"x,y\";3\n4;5;6\n").delimiter());
        assertEquals('\t', reader("a\tb\n\"1,2\"\t3\n").delimiter());
        assertEquals(',', reader("text,label\n\"semi; colon; here\",pos\n").delimiter());
        assertEquals(',', reader("onlyone\nvalue\n").delimiter());
        CsvReader declared = reader("a;b\n1;2\n".getBytes(StandardCharsets.UTF_8), ',', ParseLimits.DEFAULTS);
        assertEquals(List.of("a;b"), declared.header());
    }

    @Test
    void sniffingPrefersTheDelimiterWithAConsistentCountPerLine() {
        byte[] sample = "a,b;c\n1,2;3\n4,5;6\n7;8\n".getBytes(StandardCharsets.UTF_8);
        // Comma: 1,1,1,0 per line; semicolon: 1,1,1,1 — the consistent one wins.
        assertEquals(';', DelimiterSniffer.sniff(sample, 0, sample.length, true));
    }

    @Test
    void invalidUtf8NamesTheFirstBadRowAndColumn() {
        byte[] file = concat("text,label\nfine,a\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {'b', 'a', (byte) 0xC3, 'd', ',', 'b', '\n'});
        ProblemException e = Problems.expectAt(DatasetProblem.INVALID_UTF8, 3,
                () -> rows(reader(file, null, ParseLimits.DEFAULTS)));
        assertEquals("text", e.extensions().get("column"));
        assertEquals(400, e.status());
    }

    @Test
    void utf16IsRefusedAsNotUtf8() {
        byte[] file = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a\0,\0b\0".getBytes(StandardCharsets.US_ASCII));
        ProblemException e = Problems.expectAt(DatasetProblem.INVALID_UTF8, 1,
                () -> reader(file, null, ParseLimits.DEFAULTS));
        assertTrue(e.detail().contains("UTF-16"), e.detail());
    }

    @Test
    void nulByteIsRefusedWithItsRow() {
        Problems.expectAt(DatasetProblem.NUL_BYTE, 3, () -> rows(reader("a,b\n1,2\n3\0,4\n")));
        Problems.expectAt(DatasetProblem.NUL_BYTE, 2, () -> rows(reader("a,b\n\"in\0quotes\",4\n")));
    }

    @Test
    void raggedRowsAreRefusedWithExpectedAndActualCounts() {
        ProblemException fewer = Problems.expectAt(DatasetProblem.RAGGED_ROW, 3,
                () -> rows(reader("a,b,c\n1,2,3\n4,5\n")));
        assertEquals(3, fewer.extensions().get("expected_fields"));
        assertEquals(2, fewer.extensions().get("actual_fields"));
        ProblemException more = Problems.expectAt(DatasetProblem.RAGGED_ROW, 2,
                () -> rows(reader("a,b\n1,2,3\n")));
        assertEquals(422, more.status());
    }

    @Test
    void brokenQuotingIsMalformed() {
        Problems.expectAt(DatasetProblem.MALFORMED_CSV, 2, () -> rows(reader("a,b\n\"never closed,1\n2,3\n")));
        Problems.expectAt(DatasetProblem.MALFORMED_CSV, 2, () -> rows(reader("a,b\n\"closed\"x,1\n")));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsLiteral() throws IOException {
        assertEquals(List.of(List.of("5\" screen", "x")), rows(reader("a,b\n5\" screen,x\n")));
    }

    @Test
    void emptyInputsAreEmptyDatasets() {
        Problems.expect(DatasetProblem.EMPTY_DATASET, () -> reader(""));
        Problems.expect(DatasetProblem.EMPTY_DATASET, () -> reader("\n\r\n\n"));
        Problems.expect(DatasetProblem.EMPTY_DATASET,
                () -> reader(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, null, ParseLimits.DEFAULTS));
    }

    @Test
    void aOneMebibyteFieldFitsTheDefaultLimitAndOneByteMoreDoesNot() throws IOException {
        int limit = ParseLimits.DEFAULTS.maxFieldBytes();
        assertEquals(1 << 20, limit);
        CsvReader ok = reader(bigFieldFile(limit), null, ParseLimits.DEFAULTS);
        assertTrue(ok.next());
        assertEquals(limit, ok.get(0).length());

        ProblemException e = Problems.expectAt(DatasetProblem.FIELD_TOO_LONG, 2,
                () -> rows(reader(bigFieldFile(limit + 1), null, ParseLimits.DEFAULTS)));
        assertEquals("text", e.extensions().get("column"));
        assertEquals("max_field_bytes", e.extensions().get("limit"));
        assertEquals((long) limit, ((Number) e.extensions().get("max")).longValue());
    }

    @Test
    void quotedFieldLengthCountsTheUnescapedContent() throws IOException {
        ParseLimits limits = ParseLimits.DEFAULTS.withMaxFieldBytes(4);
        // Four quote characters, written as a quoted field of four doubled quotes: 10 bytes on disk.
        String field = "\"" + "\"\"".repeat(4) + "\"";
        CsvReader reader = reader(("a,b\n" + field + ",x\n").getBytes(StandardCharsets.UTF_8), null, limits);
        assertTrue(reader.next());
        assertEquals("\"\"\"\"", reader.get(0));
    }

    @Test
    void columnAndRowLimitsRefuseEarly() {
        ParseLimits limits = ParseLimits.DEFAULTS.withMaxColumns(3).withMaxRows(2);
        ProblemException columns = Problems.expect(DatasetProblem.TOO_MANY_COLUMNS,
                () -> reader("a,b,c,d\n1,2,3,4\n".getBytes(StandardCharsets.UTF_8), null, limits));
        assertEquals(3L, ((Number) columns.extensions().get("max")).longValue());
        Problems.expectAt(DatasetProblem.TOO_MANY_ROWS, 4,
                () -> rows(reader("a\n1\n2\n3\n4\n".getBytes(StandardCharsets.UTF_8), null, limits)));
    }

    @Test
    void readsAcrossBufferBoundaries() throws IOException {
        // Fields and quotes straddling the 64 KiB buffer edge, delivered in odd-sized reads.
        StringBuilder csv = new StringBuilder("id,text\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String text = "row " + i + " says \"hi\", then\nmore é " + "x".repeat(i % 37);
            expected.add(text);
            csv.append(i).append(",\"").append(text.replace("\"", "\"\"")).append("\"\r\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7_001));
            }
        };
        CsvReader reader = new CsvReader(trickle, null, ParseLimits.DEFAULTS);
        List<String> texts = new ArrayList<>();
        while (reader.next()) {
            texts.add(reader.get(1));
        }
        assertEquals(expected, texts);
    }

    @Test
    void byteAccessMatchesDecodedFields() throws IOException {
        CsvReader reader = reader("a,b\n\"q \"\"x\"\"\",é\n");
        assertTrue(reader.next());
        byte[] b = reader.bytes();
        assertEquals("q \"x\"", new String(b, reader.start(0), reader.end(0) - reader.start(0),
                StandardCharsets.UTF_8));
        assertTrue(reader.isAscii(0));
        assertFalse(reader.isAscii(1));
        assertFalse(reader.next());
    }

    private static byte[] bigFieldFile(int fieldBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(fieldBytes + 64);
        out.writeBytes("text,label\n".getBytes(StandardCharsets.US_ASCII));
        byte[] field = new byte[fieldBytes];
        Arrays.fill(field, (byte) 'a');
        out.writeBytes(field);
        out.writeBytes(",pos\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

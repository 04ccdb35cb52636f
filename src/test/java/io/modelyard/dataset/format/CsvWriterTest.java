package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    private static String write(CsvWriter.FormulaEscaping escaping, String... cells) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter writer = new CsvWriter(out, ',', escaping);
        writer.row(cells);
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quotesOnlyWhatNeedsIt() throws IOException {
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,é😀\n",
                write(CsvWriter.FormulaEscaping.NONE, "plain", "a,b", "say \"hi\"", "two\nlines", "", "é😀"));
    }

    @Test
    void formulaTriggersArePrefixedWithAQuote() throws IOException {
        String line = write(CsvWriter.FormulaEscaping.ALL, "=SUM(A1:A9)", "+1", "-2", "@cmd", "\tx", "\rx", "\nx",
                "safe", "a=b");
        assertEquals("'=SUM(A1:A9),'+1,'-2,'@cmd,'\tx,\"'\rx\",\"'\nx\",safe,a=b\n", line);
    }

    @Test
    void nonNumericEscapingLeavesPlainNumbersAlone() throws IOException {
        assertEquals("-2.5,+1,'-1+2,'=1\n", write(CsvWriter.FormulaEscaping.NON_NUMERIC, "-2.5", "+1", "-1+2", "=1"));
    }

    @Test
    void whatItWritesReadsBackExactly() throws IOException {
        List<String> cells = List.of("a,b", "\"", "\r\n", "x\"y\"", " spaces ", "naïve", "𝄞");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter writer = new CsvWriter(out);
        writer.row("c1", "c2", "c3", "c4", "c5", "c6", "c7");
        writer.row(cells);
        byte[] bytes = "bytes \"q\"".getBytes(StandardCharsets.UTF_8);
        writer.field("x");
        writer.bytesField(bytes, 0, bytes.length, true);
        for (int i = 0; i < 5; i++) {
            writer.field("");
        }
        writer.endRow();
        writer.flush();
        CsvReader reader = new CsvReader(new ByteArrayInputStream(out.toByteArray()), ',', ParseLimits.DEFAULTS);
        List<List<String>> rows = CsvReaderTest.rows(reader);
        assertEquals(cells, rows.get(0));
        assertEquals("bytes \"q\"", rows.get(1).get(1));
    }
}

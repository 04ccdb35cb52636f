package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.problem.DatasetProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesReaderTest {

    static JsonLinesReader reader(String jsonl) throws IOException {
        return reader(jsonl.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULTS);
    }

    static JsonLinesReader reader(byte[] jsonl, ParseLimits limits) throws IOException {
        return new JsonLinesReader(new ByteArrayInputStream(jsonl), limits);
    }

    @Test
    void objectsBecomeRecordsWithTheFirstObjectsKeysAsColumns() throws IOException {
        JsonLinesReader reader = reader("{\"text\":\"hi, \\\"you\\\"\",\"label\":\"pos\",\"score\":1.50}\r\n"
                + "\n"
                + "{\"label\":\"neg\",\"text\":\"bye\",\"extra\":true}\n"
                + "{\"text\":null,\"label\":\"neg\",\"meta\":{\"a\":[1,2]}}");
        assertEquals(List.of("text", "label", "score"), reader.header());
        assertTrue(reader.next());
        assertEquals("hi, \"you\"", reader.get(0));
        assertEquals("1.50", reader.get(2), "numbers keep their text");
        assertEquals(1, reader.row());
        assertTrue(reader.next());
        assertEquals("bye", reader.get(0));
        assertNull(reader.get(2), "absent key");
        assertEquals(3, reader.row(), "blank line 2 skipped but counted");
        assertTrue(reader.next());
        assertNull(reader.get(0), "JSON null");
        assertFalse(reader.next());
        assertEquals(2, reader.recordsWithIgnoredFields());
    }

    @Test
    void nestedValuesAreKeptAsJsonText() throws IOException {
        JsonLinesReader reader = reader("{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"e\":\"f\"}\n");
        assertTrue(reader.next());
        assertEquals("{\"b\":[1,{\"c\":\"d\"}]}", reader.get(0));
    }

    @Test
    void linesThatAreNotOneObjectAreMalformed() {
        Problems.expectAt(DatasetProblem.MALFORMED_JSONL, 2, () -> drain(reader("{\"a\":1}\n[1,2]\n")));
        Problems.expectAt(DatasetProblem.MALFORMED_JSONL, 2, () -> drain(reader("{\"a\":1}\n{\"a\":2} {\"a\":3}\n")));
        Problems.expectAt(DatasetProblem.MALFORMED_JSONL, 3, () -> drain(reader("{\"a\":1}\n{\"a\":2}\n{\"a\":\n")));
        Problems.expectAt(DatasetProblem.MALFORMED_JSONL, 1, () -> reader("text,label\nhello,pos\n"));
    }

    @Test
    void encodingProblemsNameTheLine() {
        byte[] bad = CsvReaderTest.concat("{\"a\":\"ok\"}\n{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xE9, '"', '}', '\n'});
        Problems.expectAt(DatasetProblem.INVALID_UTF8, 2, () -> drain(reader(bad, ParseLimits.DEFAULTS)));
        Problems.expectAt(DatasetProblem.NUL_BYTE, 2, () -> drain(reader("{\"a\":1}\n{\"a\":\0}\n")));
        Problems.expect(DatasetProblem.EMPTY_DATASET, () -> reader("\n  \n"));
    }

    @Test
    void fieldLimitAppliesToValues() {
        ParseLimits limits = ParseLimits.DEFAULTS.withMaxFieldBytes(5);
        Problems.expectAt(DatasetProblem.FIELD_TOO_LONG, 2, () -> drain(reader(
                "{\"a\":\"12345\"}\n{\"a\":\"123456\"}\n".getBytes(StandardCharsets.UTF_8), limits)));
    }

    private static void drain(JsonLinesReader reader) throws IOException {
        while (reader.next()) {
            // reading is the test
        }
    }
}

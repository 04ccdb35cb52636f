package io.modelyard.dataset.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one JSON object per line, UTF-8 (BOM allowed), LF or CRLF; blank lines are skipped. The keys of
 * the first object are the columns. A later object may leave keys out (missing values) or add keys (ignored
 * and counted). Strings, numbers (as written) and booleans become field text; {@code null} is a missing value;
 * nested objects and arrays are kept as their JSON text.
 */
public final class JsonLinesReader implements RecordReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final InputStream in;
    private final ParseLimits limits;
    private final byte[] buf = new byte[CsvReader.BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private byte[] line = new byte[1024];
    private int lineLen;

    private final List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] values;
    private long row;
    private long records;
    private long recordsWithIgnoredFields;
    private List<String> pendingKeys;
    private boolean firstPending;

    public JsonLinesReader(InputStream in, ParseLimits limits) throws IOException {
        this.in = in;
        this.limits = limits;
        if (fill() && lim >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
            pos = 3;
        }
        if (!readLine()) {
            throw DatasetProblem.EMPTY_DATASET.problem("The file is empty: expected one JSON object per line.");
        }
        // The first object defines the columns and is also the first record.
        pendingKeys = new ArrayList<>();
        parseLine(true);
        if (pendingKeys.isEmpty()) {
            throw DatasetProblem.EMPTY_DATASET.at(row, null, "The first object on line " + row + " has no fields.");
        }
        this.header = Collections.unmodifiableList(pendingKeys);
        this.values = new String[header.size()];
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i), i);
        }
        // Parse the first line again, now into values.
        parseLine(false);
        pendingKeys = null;
        firstPending = true;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public boolean next() throws IOException {
        if (firstPending) {
            firstPending = false;
        } else {
            if (!readLine()) {
                return false;
            }
            parseLine(false);
        }
        if (++records > limits.maxRows()) {
            throw DatasetProblem.TOO_MANY_ROWS.limit(row, null, "max_rows", limits.maxRows(),
                    "The file has more than " + limits.maxRows() + " data rows.");
        }
        return true;
    }

    @Override
    public String get(int column) {
        return values[column];
    }

    @Override
    public long row() {
        return row;
    }

    @Override
    public long records() {
        return records;
    }

    @Override
    public long recordsWithIgnoredFields() {
        return recordsWithIgnoredFields;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads the next non-blank line into {@code line}, checking NUL bytes, UTF-8 and length. */
    private boolean readLine() throws IOException {
        while (true) {
            if (pos >= lim && !fill()) {
                return false;
            }
            row++;
            lineLen = 0;
            int seen = 0;
            while (true) {
                int p = pos;
                final byte[] b = buf;
                final int l = lim;
                while (p < l) {
                    byte c = b[p];
                    if (c == '\n' || c == 0) {
                        break;
                    }
                    seen |= c;
                    p++;
                }
                append(b, pos, p - pos);
                pos = p;
                if (p < l) {
                    if (b[p] == 0) {
                        throw DatasetProblem.NUL_BYTE.at(row, null, "Line " + row + " contains a NUL byte.");
                    }
                    pos++;
                    break;
                }
                if (!fill()) {
                    break;
                }
            }
            if (lineLen > 0 && line[lineLen - 1] == '\r') {
                lineLen--;
            }
            if (seen < 0) {
                int bad = Utf8.firstInvalid(line, 0, lineLen);
                if (bad >= 0) {
                    throw DatasetProblem.INVALID_UTF8.at(row, null, "Line " + row + " is not valid UTF-8 (byte 0x"
                            + Integer.toHexString(line[bad] & 0xff) + "). Save the file as UTF-8 and upload it again.");
                }
            }
            if (!isBlank()) {
                return true;
            }
        }
    }

    private boolean isBlank() {
        for (int i = 0; i < lineLen; i++) {
            byte c = line[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private void parseLine(boolean collectKeys) throws IOException {
        if (!collectKeys) {
            Arrays.fill(values, null);
        }
        boolean ignored = false;
        try (JsonParser parser = JSON.createParser(line, 0, lineLen)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                String value = text(parser, valueToken, key);
                if (collectKeys) {
                    if (!pendingKeys.contains(key)) {
                        if (pendingKeys.size() == limits.maxColumns()) {
                            throw DatasetProblem.TOO_MANY_COLUMNS.limit(row, null, "max_columns",
                                    limits.maxColumns(), "The first object has more than " + limits.maxColumns()
                                            + " keys.");
                        }
                        pendingKeys.add(key);
                    }
                } else {
                    Integer column = index.get(key);
                    if (column == null) {
                        ignored = true;
                    } else {
                        values[column] = value;
                    }
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw malformed("is not a complete JSON object");
            }
            if (parser.nextToken() != null) {
                throw malformed("has more than one JSON value; put one object per line");
            }
        } catch (JsonParseException e) {
            throw malformed("is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (ignored) {
            recordsWithIgnoredFields++;
        }
    }

    private String text(JsonParser parser, JsonToken token, String key) throws IOException {
        String value;
        switch (token) {
            case VALUE_NULL:
                return null;
            case START_OBJECT:
            case START_ARRAY:
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                value = new String(line, start, end - start, StandardCharsets.UTF_8);
                break;
            default:
                value = parser.getText();
        }
        if (value.length() * 3L > limits.maxFieldBytes()
                && value.getBytes(StandardCharsets.UTF_8).length > limits.maxFieldBytes()) {
            throw DatasetProblem.FIELD_TOO_LONG.limit(row, key, "max_field_bytes", limits.maxFieldBytes(),
                    "Line " + row + ": the value of \"" + key + "\" is longer than " + limits.maxFieldBytes()
                            + " bytes.");
        }
        return value;
    }

    private ProblemException malformed(String what) {
        return DatasetProblem.MALFORMED_JSONL.at(row, null, "Line " + row + " " + what + ".");
    }

    private void append(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        int newLen = lineLen + len;
        if (newLen > limits.maxRowBytes()) {
            throw DatasetProblem.ROW_TOO_LONG.limit(row, null, "max_row_bytes", limits.maxRowBytes(),
                    "Line " + row + " is longer than " + limits.maxRowBytes() + " bytes.");
        }
        if (newLen > line.length) {
            line = Arrays.copyOf(line, Math.max(newLen, Math.min(line.length * 2, limits.maxRowBytes())));
        }
        System.arraycopy(b, off, line, lineLen, len);
        lineLen = newLen;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            pos = lim = 0;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }
}

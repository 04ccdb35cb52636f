package io.modelyard.dataset.format;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * RFC 4180 CSV with a header row: UTF-8 with or without BOM, CRLF or LF (or a mix), fields optionally in
 * double quotes with {@code ""} for a quote and embedded delimiters and line breaks. The delimiter (comma,
 * semicolon or tab) is declared or sniffed from the first 64 KiB.
 *
 * <p>Lenient where real files commonly are: a quote inside an unquoted field is a literal character, and
 * empty lines are skipped (but counted in row numbers). Strict where silence would corrupt data: invalid
 * UTF-8, NUL bytes, text after a closing quote, an unterminated quote and rows whose field count differs from
 * the header are refused with the row (and column) named.
 *
 * <p>A byte-level state machine over a 64 KiB buffer; the fields of the current record are copied into one
 * growing array and decoded to strings only when asked for.
 */
public final class CsvReader implements RecordReader {

    static final int BUFFER = 1 << 16;
    private static final byte QUOTE = '"';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final InputStream in;
    private final ParseLimits limits;
    private final byte delimiter;
    private final boolean[] stops = new boolean[256];
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;

    private byte[] rec = new byte[1024];
    private int recLen;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] nonAscii = new boolean[16];
    private String[] values = new String[16];
    private int count;

    private final List<String> header;
    private long row;
    private long records;

    /**
     * @param delimiter {@code ','}, {@code ';'} or {@code '\t'}; null to sniff it
     */
    public CsvReader(InputStream in, Character delimiter, ParseLimits limits) throws IOException {
        this.in = in;
        this.limits = limits;
        prefill();
        skipBom();
        if (delimiter != null && delimiter != ',' && delimiter != ';' && delimiter != '\t') {
            throw DatasetProblem.INVALID_OPTIONS.problem("The CSV delimiter must be a comma, a semicolon or a tab.");
        }
        this.delimiter = delimiter != null ? (byte) delimiter.charValue() : DelimiterSniffer.sniff(buf, pos, lim, eof);
        stops[this.delimiter & 0xff] = true;
        stops[CR] = true;
        stops[LF] = true;
        stops[0] = true;
        this.header = readHeader();
    }

    /** The delimiter in use, declared or sniffed. */
    public char delimiter() {
        return (char) delimiter;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public boolean next() throws IOException {
        if (!readRecord(header.size())) {
            return false;
        }
        if (count != header.size()) {
            throw DatasetProblem.RAGGED_ROW.problem("Row " + row + " has " + count + " fields but the header has "
                    + header.size() + ".", rowExtensions(count));
        }
        if (++records > limits.maxRows()) {
            throw DatasetProblem.TOO_MANY_ROWS.limit(row, null, "max_rows", limits.maxRows(),
                    "The file has more than " + limits.maxRows() + " data rows.");
        }
        return true;
    }

    @Override
    public String get(int column) {
        if (column < 0 || column >= count) {
            throw new IndexOutOfBoundsException(column);
        }
        String value = values[column];
        if (value == null) {
            int start = starts[column];
            int length = ends[column] - start;
            value = length == 0 ? ""
                    : new String(rec, start, length,
                            nonAscii[column] ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            values[column] = value;
        }
        return value;
    }

    /** Fields in the current record. */
    public int size() {
        return count;
    }

    /** UTF-8 byte length of field {@code column} of the current record, without decoding it. */
    public int byteLength(int column) {
        return ends[column] - starts[column];
    }

    /**
     * The current record's field bytes (unquoted, unescaped, valid UTF-8), for callers that work on bytes:
     * field {@code i} is {@code [start(i), end(i))}. Valid until the next call to {@link #next()}.
     */
    public byte[] bytes() {
        return rec;
    }

    public int start(int column) {
        return starts[column];
    }

    public int end(int column) {
        return ends[column];
    }

    /** Field {@code column} is plain ASCII. */
    public boolean isAscii(int column) {
        return !nonAscii[column];
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
    public void close() throws IOException {
        in.close();
    }

    private List<String> readHeader() throws IOException {
        if (!readRecord(limits.maxColumns())) {
            throw DatasetProblem.EMPTY_DATASET.problem("The file is empty: expected a header row and data rows.");
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(get(i).strip());
        }
        return Collections.unmodifiableList(names);
    }

    /** Reads one non-empty record into {@code rec}; false at end of input. */
    private boolean readRecord(int maxFields) throws IOException {
        while (true) {
            if (pos >= lim && !fill()) {
                return false;
            }
            row++;
            byte first = buf[pos];
            if (first == LF) {
                pos++;
                continue;
            }
            if (first == CR) {
                pos++;
                skipLf();
                continue;
            }
            Arrays.fill(values, 0, count, null);
            count = 0;
            recLen = 0;
            readFields(maxFields);
            return true;
        }
    }

    private void readFields(int maxFields) throws IOException {
        while (true) {
            if (count == maxFields) {
                throw tooManyFields(maxFields);
            }
            int start = recLen;
            boolean wide;
            if ((pos < lim || fill()) && buf[pos] == QUOTE) {
                pos++;
                wide = readQuoted(start);
            } else {
                wide = readUnquoted(start);
            }
            addField(start, wide);
            if (pos >= lim && !fill()) {
                return;
            }
            byte terminator = buf[pos];
            if (terminator == delimiter) {
                pos++;
            } else if (terminator == LF) {
                pos++;
                return;
            } else if (terminator == CR) {
                pos++;
                skipLf();
                return;
            } else if (terminator == 0) {
                throw nul();
            } else {
                throw DatasetProblem.MALFORMED_CSV.at(row, columnName(count - 1),
                        "Row " + row + ": unexpected character after the closing quote of field " + count
                                + "; a quote inside a quoted field must be doubled (\"\").");
            }
        }
    }

    /** Copies an unquoted field up to its terminator; true when it has non-ASCII bytes. */
    private boolean readUnquoted(int start) throws IOException {
        int seen = 0;
        while (true) {
            final byte[] b = buf;
            final boolean[] stop = stops;
            final int l = lim;
            int p = pos;
            while (p < l) {
                byte c = b[p];
                if (stop[c & 0xff]) {
                    break;
                }
                seen |= c;
                p++;
            }
            append(b, pos, p - pos, start);
            pos = p;
            if (p < l) {
                if (b[p] == 0) {
                    throw nul();
                }
                return seen < 0;
            }
            if (!fill()) {
                return seen < 0;
            }
        }
    }

    /** Copies a quoted field (opening quote consumed) through its closing quote. */
    private boolean readQuoted(int start) throws IOException {
        long startRow = row;
        int seen = 0;
        while (true) {
            final byte[] b = buf;
            final int l = lim;
            int p = pos;
            while (p < l) {
                byte c = b[p];
                if (c == QUOTE || c == 0) {
                    break;
                }
                seen |= c;
                p++;
            }
            append(b, pos, p - pos, start);
            pos = p;
            if (p < l) {
                if (b[p] == 0) {
                    throw nul();
                }
                pos++; // the quote
                if ((pos < lim || fill()) && buf[pos] == QUOTE) {
                    append(buf, pos, 1, start);
                    pos++;
                    continue;
                }
                return seen < 0;
            }
            if (!fill()) {
                throw DatasetProblem.MALFORMED_CSV.at(startRow, columnName(count),
                        "Row " + startRow + ": a quoted field is never closed before the end of the file.");
            }
        }
    }

    private void append(byte[] b, int off, int len, int fieldStart) {
        if (len == 0) {
            return;
        }
        int newLen = recLen + len;
        if (newLen - fieldStart > limits.maxFieldBytes()) {
            throw DatasetProblem.FIELD_TOO_LONG.limit(row, columnName(count), "max_field_bytes",
                    limits.maxFieldBytes(), "Row " + row + ": a field is longer than " + limits.maxFieldBytes()
                            + " bytes.");
        }
        if (newLen > limits.maxRowBytes()) {
            throw DatasetProblem.ROW_TOO_LONG.limit(row, null, "max_row_bytes", limits.maxRowBytes(),
                    "Row " + row + " is longer than " + limits.maxRowBytes() + " bytes.");
        }
        if (newLen > rec.length) {
            rec = Arrays.copyOf(rec, Math.max(newLen, Math.min(rec.length * 2, limits.maxRowBytes())));
        }
        System.arraycopy(b, off, rec, recLen, len);
        recLen = newLen;
    }

    private void addField(int start, boolean wide) {
        if (count == starts.length) {
            int n = count * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            nonAscii = Arrays.copyOf(nonAscii, n);
            values = Arrays.copyOf(values, n);
        }
        if (wide) {
            int bad = Utf8.firstInvalid(rec, start, recLen);
            if (bad >= 0) {
                throw DatasetProblem.INVALID_UTF8.at(row, columnName(count), "Row " + row
                        + " is not valid UTF-8 (byte 0x" + Integer.toHexString(rec[bad] & 0xff) + " in field "
                        + (count + 1) + "). Save the file as UTF-8 and upload it again.");
            }
        }
        starts[count] = start;
        ends[count] = recLen;
        nonAscii[count] = wide;
        count++;
    }

    private ProblemException tooManyFields(int maxFields) {
        if (header == null) {
            return DatasetProblem.TOO_MANY_COLUMNS.limit(row, null, "max_columns", limits.maxColumns(),
                    "The header has more than " + limits.maxColumns() + " columns.");
        }
        return DatasetProblem.RAGGED_ROW.problem("Row " + row + " has more fields than the " + maxFields
                + " of the header.", rowExtensions(maxFields + 1));
    }

    private java.util.Map<String, Object> rowExtensions(int fields) {
        java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("row", row);
        extensions.put("expected_fields", header.size());
        extensions.put("actual_fields", fields);
        return extensions;
    }

    private ProblemException nul() {
        return DatasetProblem.NUL_BYTE.at(row, columnName(count), "Row " + row
                + " contains a NUL byte; the file may be binary or UTF-16 rather than UTF-8 text.");
    }

    private String columnName(int index) {
        return header != null && index >= 0 && index < header.size() ? header.get(index) : null;
    }

    private void skipLf() throws IOException {
        if ((pos < lim || fill()) && buf[pos] == LF) {
            pos++;
        }
    }

    /** Refills the buffer once it is consumed; false at end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, BUFFER);
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

    /** Fills the whole buffer (or up to end of input) so the delimiter can be sniffed from a real sample. */
    private void prefill() throws IOException {
        while (lim < BUFFER) {
            int n = in.read(buf, lim, BUFFER - lim);
            if (n < 0) {
                eof = true;
                break;
            }
            lim += n;
        }
    }

    private void skipBom() {
        int n = lim - pos;
        if (n >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
            pos += 3;
        } else if (n >= 2 && ((buf[0] & 0xff) == 0xFE && (buf[1] & 0xff) == 0xFF
                || (buf[0] & 0xff) == 0xFF && (buf[1] & 0xff) == 0xFE)) {
            throw DatasetProblem.INVALID_UTF8.at(1, null,
                    "The file is UTF-16; save it as UTF-8 and upload it again.");
        }
    }
}

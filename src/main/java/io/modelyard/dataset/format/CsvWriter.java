package io.modelyard.dataset.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes RFC 4180 CSV in UTF-8 with LF line ends: a field is quoted when it holds the delimiter, a quote, CR
 * or LF, with quotes doubled. With formula escaping on, a cell that begins with {@code =}, {@code +},
 * {@code -}, {@code @}, tab, CR or LF is prefixed with a single quote so a spreadsheet shows it as text
 * instead of running it (CSV injection). Buffered; {@link #flush()} or {@link #close()} at the end.
 */
public final class CsvWriter implements Closeable {

    /** Which cells get the single-quote prefix. */
    public enum FormulaEscaping {
        /** None: the canonical format, which must round-trip exactly. */
        NONE,
        /** Every cell that begins with one of the trigger characters. */
        ALL,
        /** Like ALL, except plain numbers such as {@code -3.5} or {@code +1}, which no spreadsheet runs as code. */
        NON_NUMERIC
    }

    private static final int BUFFER = 1 << 16;

    private final OutputStream out;
    private final byte delimiter;
    private final FormulaEscaping escaping;
    private final byte[] buf = new byte[BUFFER];
    private byte[] scratch = new byte[256];
    private int pos;
    private long drained;
    private boolean rowStarted;

    public CsvWriter(OutputStream out, char delimiter, FormulaEscaping escaping) {
        this.out = out;
        this.delimiter = (byte) delimiter;
        this.escaping = escaping;
    }

    public CsvWriter(OutputStream out) {
        this(out, ',', FormulaEscaping.NONE);
    }

    public void row(List<String> fields) throws IOException {
        for (String field : fields) {
            field(field);
        }
        endRow();
    }

    public void row(String... fields) throws IOException {
        for (String field : fields) {
            field(field);
        }
        endRow();
    }

    /** One field of the current row; null is written as an empty field. */
    @SuppressWarnings("deprecation")
    public void field(String value) throws IOException {
        if (rowStarted) {
            put(delimiter);
        }
        rowStarted = true;
        if (value == null || value.isEmpty()) {
            return;
        }
        boolean prefix = escaping != FormulaEscaping.NONE && needsFormulaPrefix(value);
        int n = value.length();
        boolean quote = false;
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                    quote = true;
                }
            } else {
                ascii = false;
            }
        }
        if (quote) {
            put((byte) '"');
        }
        if (prefix) {
            put((byte) '\'');
        }
        if (ascii && !quote) {
            // The common case: copy the low bytes of the chars straight into the buffer.
            int offset = 0;
            while (offset < n) {
                if (pos == BUFFER) {
                    drain();
                }
                int chunk = Math.min(n - offset, BUFFER - pos);
                value.getBytes(offset, offset + chunk, buf, pos);
                pos += chunk;
                offset += chunk;
            }
        } else if (ascii) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            value.getBytes(0, n, scratch, 0);
            quotedBytes(scratch, 0, n);
        } else {
            encode(value, quote);
        }
        if (quote) {
            put((byte) '"');
        }
    }

    /**
     * One field given as UTF-8 bytes, for callers that already hold them; {@code quote} when it contains the
     * delimiter, a quote, CR or LF. No formula escaping: for the canonical format.
     */
    public void bytesField(byte[] b, int from, int to, boolean quote) throws IOException {
        bytesField(b, from, to, quote, quote);
    }

    /**
     * Like {@link #bytesField(byte[], int, int, boolean)}, for a caller that also knows whether the bytes hold
     * a quote character ({@code hasQuoteChar} false: they are copied in one go).
     */
    public void bytesField(byte[] b, int from, int to, boolean quote, boolean hasQuoteChar) throws IOException {
        if (rowStarted) {
            put(delimiter);
        }
        rowStarted = true;
        if (quote) {
            put((byte) '"');
            if (hasQuoteChar) {
                quotedBytes(b, from, to);
            } else {
                copy(b, from, to);
            }
            put((byte) '"');
            return;
        }
        copy(b, from, to);
    }

    /** Copies bytes, doubling quotes; the caller writes the surrounding quotes. */
    private void quotedBytes(byte[] b, int from, int to) throws IOException {
        int run = from;
        for (int i = from; i < to; i++) {
            if (b[i] == '"') {
                copy(b, run, i + 1);
                put((byte) '"');
                run = i + 1;
            }
        }
        copy(b, run, to);
    }

    private void copy(byte[] b, int from, int to) throws IOException {
        while (from < to) {
            if (pos == BUFFER) {
                drain();
            }
            int chunk = Math.min(to - from, BUFFER - pos);
            System.arraycopy(b, from, buf, pos, chunk);
            pos += chunk;
            from += chunk;
        }
    }

    public void endRow() throws IOException {
        put((byte) '\n');
        rowStarted = false;
    }

    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }

    private boolean needsFormulaPrefix(String value) {
        char first = value.charAt(0);
        boolean trigger = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r' || first == '\n';
        if (!trigger) {
            return false;
        }
        return escaping == FormulaEscaping.ALL || !Numbers.isNumber(value);
    }

    private void encode(String value, boolean quote) throws IOException {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (pos + 4 > BUFFER) {
                drain();
            }
            if (c < 0x80) {
                if (quote && c == '"') {
                    buf[pos++] = '"';
                }
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | c >> 6);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buf[pos++] = (byte) (0xF0 | cp >> 18);
                buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buf[pos++] = (byte) 0xEF; // a lone surrogate cannot be UTF-8: U+FFFD
                buf[pos++] = (byte) 0xBF;
                buf[pos++] = (byte) 0xBD;
            } else {
                buf[pos++] = (byte) (0xE0 | c >> 12);
                buf[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void put(byte b) throws IOException {
        if (pos == BUFFER) {
            drain();
        }
        buf[pos++] = b;
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            drained += pos;
            pos = 0;
        }
    }

    /** Bytes written so far, buffered ones included: where the next row starts in the output. */
    public long position() {
        return drained + pos;
    }
}

package io.modelyard.dataset.upload;

import io.modelyard.common.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code multipart/form-data} (RFC 7578) part by part straight off the request body, so a file part
 * streams to storage like a raw body does: nothing is buffered beyond one 64 KiB window. Parts must be read in
 * order; {@link #next()} skips what is left of the current one.
 */
public final class MultipartReader {

    /** Bytes of parts after the one an upload wanted read (and ignored) before the server stops reading. */
    public static final long TRAILING_PARTS_LIMIT = 64 * 1024;

    private static final int WINDOW = 1 << 16;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    private MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[WINDOW + delimiter.length];
        // The first boundary has no CRLF before it: pretend it had, so every boundary is "CRLF--boundary".
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
        current = new PartStream(null); // the preamble
    }

    /** A reader for a request whose Content-Type is {@code contentType} (it carries the boundary). */
    public static MultipartReader open(InputStream in, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            throw malformed("The multipart Content-Type has no boundary parameter.");
        }
        return new MultipartReader(in, m.group(2) != null ? m.group(2) : m.group(3));
    }

    /** One part: its form field name, file name (if any), Content-Type (if any) and content. */
    public record Part(String name, String filename, String contentType, InputStream content) {
    }

    /**
     * Reads (and ignores) the parts that follow, up to {@link #TRAILING_PARTS_LIMIT} of their content, so that the
     * connection can carry the next request; false when the bound was reached first, or when the rest of the body
     * is malformed or cut off (the answer must then close the connection). Called once the part the request was
     * for has been acted on, so it never refuses: what was stored stands, and the caller answers for it.
     */
    public boolean skipRemainingParts() {
        long read = 0;
        byte[] chunk = new byte[8192];
        try {
            for (Part part; (part = next()) != null; ) {
                for (int n; (n = part.content().read(chunk)) >= 0; ) {
                    read += n;
                    if (read > TRAILING_PARTS_LIMIT) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException | ProblemException e) {
            return false;
        }
    }

    /** The next part, or null after the last one. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        current.skipRest();
        // After a delimiter: "--" ends the body, CRLF starts the next part's headers.
        ensure(2);
        if (lim - pos < 2) {
            throw malformed("The multipart body ends in the middle of a boundary.");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        skipLinearWhitespace();
        if (lim - pos < 2 || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw malformed("A multipart boundary is not followed by a line break.");
        }
        pos += 2;
        String name = null;
        String filename = null;
        String type = null;
        int headerBytes = 0;
        while (true) {
            String line = readLine();
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw malformed("The headers of a multipart part are too long.");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                Matcher n = NAME.matcher(value);
                name = n.find() ? n.group(1) : null;
                Matcher f = FILENAME.matcher(value);
                filename = f.find() ? f.group(1) : null;
            } else if (header.equals("content-type")) {
                type = value;
            }
        }
        current = new PartStream(name);
        return new Part(name, filename, type, current);
    }

    private void skipLinearWhitespace() throws IOException {
        // RFC 2046 allows transport padding (spaces, tabs) after a boundary.
        while (true) {
            ensure(1);
            if (lim == pos || (buf[pos] != ' ' && buf[pos] != '\t')) {
                ensure(2);
                return;
            }
            pos++;
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            ensure(2);
            if (lim - pos < 2) {
                throw malformed("The multipart body ends inside a part's headers.");
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return line.toString();
            }
            line.append((char) (buf[pos++] & 0xff));
            if (line.length() > MAX_HEADER_BYTES) {
                throw malformed("The headers of a multipart part are too long.");
            }
        }
    }

    /** Makes at least {@code n} bytes available from {@code pos}, unless the input ends first. */
    private void ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int read = in.read(buf, lim, buf.length - lim);
            if (read < 0) {
                eof = true;
            } else {
                lim += read;
            }
        }
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static ProblemException malformed(String detail) {
        return ProblemException.badRequest("malformed-multipart", detail);
    }

    /** The content of one part: ends just before the next delimiter. */
    private final class PartStream extends InputStream {

        private final String name;
        private boolean done;

        PartStream(String name) {
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            // Refill only when fewer bytes than a delimiter are left: a window always holds a whole delimiter.
            if (lim - pos < delimiter.length + 1) {
                ensure(Math.min(buf.length, delimiter.length + WINDOW / 2));
            }
            int at = indexOfDelimiter();
            int readable;
            if (at >= 0) {
                readable = at - pos;
                if (readable == 0) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
            } else {
                if (eof && lim - pos < delimiter.length) {
                    throw malformed("The multipart body ends before its closing boundary"
                            + (name == null ? "" : " (in part '" + name + "')") + ".");
                }
                // Bytes that cannot be the start of a delimiter split across the window's end.
                readable = lim - pos - (delimiter.length - 1);
                if (readable <= 0) {
                    ensure(lim - pos + 1);
                    return read(b, off, len);
                }
            }
            int n = Math.min(len, readable);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() {
            // The request body belongs to the caller.
        }
    }
}

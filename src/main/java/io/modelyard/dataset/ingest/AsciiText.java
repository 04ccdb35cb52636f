package io.modelyard.dataset.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One pass over an ASCII field that tells everything the text fast path needs: whether whitespace
 * normalization would change it, whether CSV output must quote it, and how many tokens it has. Fields that
 * need changing take the general (String) path instead. Eight bytes a step (SWAR); "whitespace" here is any
 * byte up to 0x20 or 0x7F, as in {@link io.modelyard.dataset.cleaning.ValueNormalizer#isSpace(char)}.
 */
final class AsciiText {

    static final long NEEDS_COLLAPSE = 1L << 32;
    static final long NEEDS_TRIM = 1L << 33;
    static final long NEEDS_QUOTE = 1L << 34;
    /** Contains a quote character, which CSV output must double. */
    static final long HAS_QUOTE_CHAR = 1L << 35;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;

    private AsciiText() {
    }

    /** Flags in bits 32..34, token count in the low 32 bits. {@code b[from..to)} must be ASCII (all bytes below 0x80). */
    static long scan(byte[] b, int from, int to) {
        if (from == to) {
            return 0;
        }
        long oddSpace = 0; // tab, CR, LF, other controls, DEL
        long quote = 0; // comma, quote, CR, LF
        long quoteChar = 0;
        long doubled = 0;
        int tokens = 0;
        long previousSpace = 1; // the byte before the field counts as whitespace
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            // High bit of each byte set where the byte is above 0x20 (ASCII: no carry between bytes).
            long word = (x + 0x5F5F5F5F5F5F5F5FL) & HIGH;
            long del = zeroBytes(x ^ 0x7F7F7F7F7F7F7F7FL);
            long space = (~word & HIGH) | del;
            oddSpace |= (~((x + 0x6060606060606060L) & HIGH) & HIGH) | del;
            long quotes = zeroBytes(x ^ 0x2222222222222222L);
            quoteChar |= quotes;
            quote |= zeroBytes(x ^ 0x2C2C2C2C2C2C2C2CL) | quotes;
            long spaceBefore = (space << 8) | (previousSpace << 7);
            doubled |= space & spaceBefore;
            tokens += Long.bitCount(~space & HIGH & spaceBefore);
            previousSpace = space >>> 63;
        }
        for (; i < to; i++) {
            int c = b[i];
            long space = c <= 0x20 || c == 0x7F ? 1 : 0;
            if (c < 0x20 || c == 0x7F) {
                oddSpace = 1;
            }
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                quote = 1;
            }
            if (c == '"') {
                quoteChar = 1;
            }
            doubled |= space & previousSpace;
            tokens += (int) ((space ^ 1) & previousSpace);
            previousSpace = space;
        }
        boolean edge = b[from] <= 0x20 || b[from] == 0x7F || previousSpace != 0;
        long result = tokens;
        if (edge) {
            result |= NEEDS_TRIM;
        }
        if (edge || doubled != 0 || oddSpace != 0) {
            result |= NEEDS_COLLAPSE;
        }
        if (quote != 0 || oddSpace != 0 && hasLineBreak(b, from, to)) {
            result |= NEEDS_QUOTE;
        }
        if (quoteChar != 0) {
            result |= HAS_QUOTE_CHAR;
        }
        return result;
    }

    /** High bit set in exactly the bytes of {@code v} that are zero (no false positives for bytes below 0x80). */
    private static long zeroBytes(long v) {
        return ~(((v & ~HIGH) + ~HIGH) | v | ~HIGH);
    }

    private static boolean hasLineBreak(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return true;
            }
        }
        return false;
    }
}

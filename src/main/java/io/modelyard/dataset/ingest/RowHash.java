package io.modelyard.dataset.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * 64-bit hashes of rows over the UTF-8 bytes of their values, for duplicate and conflict detection: a
 * million rows cost 8 bytes each rather than their text. Eight bytes a step (xxHash-style rounds); the
 * chance that two different rows among a million collide is about 3·10⁻⁸. Equal values hash equally
 * whether they arrive as bytes (fast path) or strings.
 */
final class RowHash {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

    private byte[] scratch = new byte[256];

    /** Seed for a row of {@code fields} values. */
    static long start(int fields) {
        return 0x27D4EB2F165667C5L + fields;
    }

    /** Adds one value, given as UTF-8 bytes. */
    static long add(long h, byte[] b, int from, int to) {
        return Long.rotateLeft(h ^ bytes(b, from, to), 27) * P1 + P3;
    }

    static long finish(long h) {
        return avalanche(h);
    }

    /** Hash of {@code values[0 .. count)}. */
    long of(String[] values, int count) {
        long h = start(count);
        for (int i = 0; i < count; i++) {
            h = add(h, values[i]);
        }
        return finish(h);
    }

    @SuppressWarnings("deprecation")
    private long add(long h, String value) {
        int n = value.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (ascii) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            value.getBytes(0, n, scratch, 0);
            return add(h, scratch, 0, n);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return add(h, utf8, 0, utf8.length);
    }

    /** Hash of an input hash and a label token: identifies a whole row. */
    static long withToken(long inputHash, int token) {
        return avalanche(inputHash ^ (token * P2 + P3));
    }

    static long bytes(byte[] b, int from, int to) {
        long h = P3 + (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long k = (long) LONGS.get(b, i);
            h ^= Long.rotateLeft(k * P2, 31) * P1;
            h = Long.rotateLeft(h, 27) * P1 + P3;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (b[i] & 0xffL) << shift;
        }
        h ^= Long.rotateLeft(tail * P2, 31) * P1;
        return avalanche(h);
    }

    static long avalanche(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}

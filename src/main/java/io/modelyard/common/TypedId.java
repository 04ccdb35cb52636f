package io.modelyard.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Opaque, unguessable, time-ordered ids with a type prefix: {@code ten_01JD7X...}. The body is 26 Crockford
 * base32 characters: 48 bits of milliseconds (so ids sort by creation, which cursor paging relies on) and 80
 * random bits (so they cannot be guessed).
 */
public final class TypedId {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final Pattern BODY = Pattern.compile("[0-9a-hjkmnp-tv-z]{26}");
    // One generator per thread: the platform's default reads /dev/urandom under one global lock on every call,
    // and every request makes several ids.
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(TypedId::newRandom);
    private static final Clock CLOCK = Clock.systemUTC();

    private TypedId() {
    }

    public static String generate(String prefix) {
        long millis = CLOCK.millis();
        byte[] random = new byte[10];
        RANDOM.get().nextBytes(random);
        char[] body = new char[26];
        // 48-bit time in the first 10 characters (50 bits, top 2 always zero).
        for (int i = 9; i >= 0; i--) {
            body[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits in the last 16 characters.
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
            lo = (lo << 8) | (random[i + 5] & 0xff);
        }
        for (int i = 25; i >= 18; i--) {
            body[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        for (int i = 17; i >= 10; i--) {
            body[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        return prefix + "_" + new String(body);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** Whether {@code id} has the shape of an id of this type; says nothing about whether it exists. */
    public static boolean isWellFormed(String prefix, String id) {
        return id != null
                && id.length() == prefix.length() + 27
                && id.startsWith(prefix)
                && id.charAt(prefix.length()) == '_'
                && BODY.matcher(id.substring(prefix.length() + 1)).matches();
    }
}

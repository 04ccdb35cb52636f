package io.modelyard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The shape of an API key: {@code myd_live_} + 32 base62 characters (190 random bits) + a 6-character base62
 * CRC-32 of everything before it. The fixed prefix lets secret scanners spot a leaked key; the checksum lets
 * them (and us, before any database lookup) tell a real key from a typo offline. Only the SHA-256 of the whole
 * key is stored.
 */
public final class ApiKeySecret {

    public static final String PREFIX = "myd_live_";
    static final int RANDOM_CHARS = 32;
    static final int CHECKSUM_CHARS = 6;
    static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;
    /** How much of a key is shown in lists: the prefix and the first random characters. */
    static final int VISIBLE_CHARS = PREFIX.length() + 8;

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    static String generate() {
        StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(BASE62[RANDOM.nextInt(62)]);
        }
        return key.append(checksum(key)).toString();
    }

    /** Whether a bearer token is ours to judge (an API key, well-formed or not), rather than an OIDC token. */
    static boolean claims(String token) {
        return token.startsWith("myd_");
    }

    /** Whether the key has the right length, alphabet and checksum. */
    static boolean isWellFormed(String key) {
        if (key.length() != LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return checksum(key.subSequence(0, LENGTH - CHECKSUM_CHARS)).equals(key.substring(LENGTH - CHECKSUM_CHARS));
    }

    static String visiblePrefix(String key) {
        return key.substring(0, VISIBLE_CHARS);
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            out[i] = BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }
}

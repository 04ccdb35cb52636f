package io.modelyard.storage;

import java.util.regex.Pattern;

/**
 * Blob keys: slash-separated segments of {@code [A-Za-z0-9._=-]}, no empty, {@code .} or {@code ..} segment,
 * no leading dot (dot-names are the stores' own bookkeeping). Strict on purpose: a key becomes a file path.
 */
public final class BlobKeys {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_=-][A-Za-z0-9._=-]*");
    private static final int MAX_LENGTH = 512;

    private BlobKeys() {
    }

    /** Returns {@code key} when valid, else throws {@link IllegalArgumentException}. */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Invalid blob key: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("Invalid blob key: " + key);
            }
        }
        return key;
    }

    /** A listing prefix: empty, or a key prefix that may end with a slash or inside a segment. */
    public static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("Prefix must not be null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String probe = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        check(probe);
        return prefix;
    }

    /** Joins already-safe segments with slashes and checks the result. */
    public static String of(String... segments) {
        return check(String.join("/", segments));
    }
}

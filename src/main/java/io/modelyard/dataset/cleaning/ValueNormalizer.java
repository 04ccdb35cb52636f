package io.modelyard.dataset.cleaning;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text normalizations of cleaning. Each method returns the same instance when nothing changes, so a
 * caller counts changes with {@code !=}. Characters below U+0300 are NFC already and combine with nothing,
 * which lets the common case skip {@link Normalizer} entirely.
 */
public final class ValueNormalizer {

    private ValueNormalizer() {
    }

    /** Unicode NFC. */
    public static String nfc(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x300) {
                return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s,
                        Normalizer.Form.NFC);
            }
        }
        return s;
    }

    /** Spaces, tabs, line breaks, other control characters and Unicode spaces (NBSP, U+2000..U+200A, ...). */
    public static boolean isSpace(char c) {
        if (c < 0x80) {
            return c <= 0x20 || c == 0x7F;
        }
        return c <= 0x9F || Character.isSpaceChar(c) || Character.isWhitespace(c);
    }

    public static String whitespace(String s, CleaningOptions.Whitespace mode) {
        return switch (mode) {
            case KEEP -> s;
            case TRIM -> trim(s);
            case COLLAPSE -> collapse(s);
        };
    }

    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** Trims, and turns every run of whitespace into one space. */
    static String collapse(String s) {
        int n = s.length();
        if (n == 0) {
            return s;
        }
        // Fast check: nothing to do when the only whitespace is single inner ' '.
        boolean clean = !isSpace(s.charAt(0)) && !isSpace(s.charAt(n - 1));
        char previous = 'x';
        for (int i = 0; clean && i < n; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                if (c == ' ') {
                    clean = previous != ' ';
                } else if (isSpace(c)) {
                    clean = false;
                }
            }
            previous = c;
        }
        if (clean) {
            return s;
        }
        StringBuilder out = new StringBuilder(n);
        boolean pendingSpace = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    public static String labelCase(String s, CleaningOptions.LabelCase mode) {
        String folded = switch (mode) {
            case KEEP -> s;
            case LOWER -> s.toLowerCase(Locale.ROOT);
            case UPPER -> s.toUpperCase(Locale.ROOT);
        };
        return folded.equals(s) ? s : folded;
    }

    /** Blank after whitespace is removed. */
    public static boolean isBlank(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}

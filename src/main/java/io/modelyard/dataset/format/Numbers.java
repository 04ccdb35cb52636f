package io.modelyard.dataset.format;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigDecimal;

/**
 * Numbers in data files: an optional sign, digits with an optional decimal point, an optional exponent
 * ({@code 42}, {@code -3.5}, {@code .5}, {@code 1e-3}), surrounding spaces allowed. Stricter than
 * {@link Double#parseDouble}, which also takes {@code 1.5f}, hex floats, {@code NaN} and {@code Infinity}.
 */
public final class Numbers {

    private Numbers() {
    }

    /** The value, or NaN when {@code s} is not a plain decimal number (or overflows to infinity). */
    public static double parse(String s) {
        if (s == null) {
            return Double.NaN;
        }
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        if (!isDecimal(s, start, end)) {
            return Double.NaN;
        }
        // Jackson's FastDoubleParser: Double.parseDouble's values, correctly rounded, several times faster.
        double value = NumberInput.parseDouble(start == 0 && end == s.length() ? s : s.substring(start, end), true);
        return Double.isInfinite(value) ? Double.NaN : value;
    }

    public static boolean isNumber(String s) {
        return !Double.isNaN(parse(s));
    }

    private static boolean isDecimal(String s, int i, int end) {
        if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Shortest plain text for a computed value: {@code 3}, {@code 2.5}, {@code 0.001}, never an exponent. */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}

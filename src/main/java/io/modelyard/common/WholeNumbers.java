package io.modelyard.common;

/**
 * Optional whole numbers from query parameters and form fields: absent or blank is no value; anything else that is
 * not a whole number is refused with a 400 naming the field.
 */
public final class WholeNumbers {

    private WholeNumbers() {
    }

    /** @param rule what the field must be, as the refusal words it ("must be a whole number") */
    public static Long optionalLong(String value, String field, String rule) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(field, rule);
        }
    }

    /** As {@link #optionalLong}, for a value that must fit an int. */
    public static Integer optionalInt(String value, String field, String rule) {
        Long number = optionalLong(value, field, rule);
        if (number != null && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
            throw ProblemException.invalidField(field, rule);
        }
        return number == null ? null : number.intValue();
    }
}

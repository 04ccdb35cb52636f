package io.modelyard.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantities and money as the API writes them: no trailing zeros, no exponent, money in whole minor units. */
public final class Quantities {

    private Quantities() {
    }

    public static BigDecimal plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0, RoundingMode.UNNECESSARY) : stripped;
    }

    public static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    /** Minor units, rounded half up at the end of the computation (per line item). */
    public static long minorUnits(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}

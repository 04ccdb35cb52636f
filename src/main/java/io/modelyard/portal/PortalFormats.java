package io.modelyard.portal;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How pages write numbers, sizes and times: {@code {x.fmt}}, {@code {n.grouped}}, {@code {share.percent}},
 * {@code {n.bytes}}, {@code {t.utc}}.
 */
@TemplateExtension
final class PortalFormats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private PortalFormats() {
    }

    /** Three significant digits, without exponent noise for ordinary magnitudes. */
    static String fmt(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3)) {
            return String.format(Locale.ROOT, "%.3g", value);
        }
        return new BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    static String fmt(Double value) {
        return value == null ? "–" : fmt(value.doubleValue());
    }

    /** A count with its thousands grouped: 1,250,000 rows. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A score such as F1 or precision (0..1) with three decimals. */
    static String score(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A share (0..1) as a percentage with one decimal. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String percent(Double share) {
        return share == null ? "–" : percent(share.doubleValue());
    }

    /** Bytes in a human unit (1,024-based). */
    static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    static String utc(Instant instant) {
        return instant == null ? "–" : UTC.format(instant);
    }

    /** Minor units of money, e.g. 1250 USD as "12.50 USD". */
    static String money(long minorUnits, String currency) {
        return String.format(Locale.ROOT, "%s%d.%02d %s", minorUnits < 0 ? "-" : "", Math.abs(minorUnits) / 100,
                Math.abs(minorUnits) % 100, currency == null ? "" : currency.toUpperCase(Locale.ROOT));
    }

    static String plain(BigDecimal value) {
        return value == null ? "–" : value.stripTrailingZeros().toPlainString();
    }
}

package io.modelyard.portal.usage;

import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.Meter;
import io.modelyard.billing.statements.UsageBucketView;
import io.modelyard.billing.statements.UsageSummaryView;
import io.modelyard.portal.ChartSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The usage page's content: a chart per meter with use, a quota bar per meter, the invoice preview. Quantities are
 * written for people: thousands grouped, storage in GB-hours (1,024³ byte-hours) rather than byte-hours.
 */
public record UsageReport(UsageSummaryView summary, InvoicePreviewView invoice, List<MeterChart> charts,
        List<QuotaBar> quotas, List<InvoiceLine> invoiceLines) {

    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    /** Daily use of one meter ({@code total} as written). */
    public record MeterChart(String meter, String label, String units, String json, String total) {
    }

    /**
     * Use against the period's limit (or, without a hard limit, against what the plan includes).
     *
     * @param max the bar's end: the limit, or what is included; null when neither bounds it
     */
    public record QuotaBar(String meter, String label, String units, BigDecimal used, BigDecimal max,
            String maxKind, boolean overLimit, boolean hard, String usedText, String maxText) {

        /** A hard limit of zero: the plan leaves this meter out (GPU training on the free plan). */
        public boolean excluded() {
            return hard && max.signum() == 0;
        }

        /** Whether a bar can be drawn: something bounds the meter. */
        public boolean bounded() {
            return max != null && max.signum() > 0;
        }

        public String usedPercent() {
            return !bounded() ? "" : String.format(Locale.ROOT, "%.0f%%", used.doubleValue() * 100 / max.doubleValue());
        }
    }

    /** One line of the invoice preview, as written. */
    public record InvoiceLine(String label, String units, String quantity, String included, String billable,
            long amount) {
    }

    static UsageReport of(UsageSummaryView summary, InvoicePreviewView invoice, List<UsageBucketView> buckets,
            LocalDate from, LocalDate to) {
        List<String> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        Map<Meter, double[]> byMeter = new LinkedHashMap<>();
        for (UsageBucketView bucket : buckets) {
            LocalDate day = bucket.start().atOffset(ZoneOffset.UTC).toLocalDate();
            int index = days.indexOf(day.toString());
            if (index >= 0) {
                byMeter.computeIfAbsent(bucket.meter(), m -> new double[days.size()])[index] +=
                        bucket.quantity().doubleValue();
            }
        }
        List<MeterChart> charts = new ArrayList<>();
        byMeter.forEach((meter, values) -> {
            List<Double> series = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (double v : values) {
                BigDecimal day = BigDecimal.valueOf(v);
                series.add(inDisplayUnits(meter, day).doubleValue());
                total = total.add(day);
            }
            charts.add(new MeterChart(meter.wireName(), label(meter), units(meter, total), ChartSpec.bar(days,
                    List.of(ChartSpec.Series.of(units(meter), series)), null, units(meter)).json(),
                    written(meter, total)));
        });
        List<QuotaBar> quotas = summary.meters().stream().map(m -> {
            boolean hard = m.limit() != null;
            BigDecimal max = hard ? m.limit() : m.included() != null && m.included().signum() > 0 ? m.included() : null;
            return new QuotaBar(m.meter().wireName(), label(m.meter()), units(m.meter(), m.used()), m.used(), max,
                    hard ? "limit" : max == null ? "" : "included", m.overLimit(), hard, written(m.meter(), m.used()),
                    max == null ? "" : written(m.meter(), max));
        }).toList();
        List<InvoiceLine> lines = invoice.lineItems().stream().map(l -> new InvoiceLine(label(l.meter()),
                units(l.meter()), written(l.meter(), l.quantity()), written(l.meter(), l.included()),
                written(l.meter(), l.billable()), l.amount())).toList();
        return new UsageReport(summary, invoice, charts, quotas, lines);
    }

    /** A quantity of {@code meter} as the page writes it: in its display unit, thousands grouped, ≤ 3 decimals. */
    static String written(Meter meter, BigDecimal quantity) {
        if (quantity == null) {
            return "";
        }
        DecimalFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(inDisplayUnits(meter, quantity));
    }

    private static BigDecimal inDisplayUnits(Meter meter, BigDecimal quantity) {
        return meter == Meter.STORAGE_BYTE_HOURS ? quantity.divide(GIB, 6, RoundingMode.HALF_UP) : quantity;
    }

    /** What a person calls the meter. */
    static String label(Meter meter) {
        return switch (meter) {
            case API_REQUESTS -> "API requests";
            case PREDICTIONS -> "Predictions";
            case TRAINING_CPU_SECONDS -> "Training on CPUs";
            case TRAINING_GPU_SECONDS -> "Training on GPUs";
            case STORAGE_BYTE_HOURS -> "Storage";
            case DATASET_ROWS_INGESTED -> "Dataset rows";
        };
    }

    /** The meter's display unit in the plural, as quantities are written. */
    static String units(Meter meter) {
        return switch (meter) {
            case STORAGE_BYTE_HOURS -> "GB-hours";
            default -> meter.unit() + "s";
        };
    }

    /** The unit for {@code quantity}: singular for exactly one. */
    static String units(Meter meter, BigDecimal quantity) {
        String plural = units(meter);
        boolean one = quantity != null && inDisplayUnits(meter, quantity).compareTo(BigDecimal.ONE) == 0;
        return one ? plural.substring(0, plural.length() - 1) : plural;
    }
}

package io.modelyard.portal.usage;

import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.Meter;
import io.modelyard.billing.statements.UsageBucketView;
import io.modelyard.billing.statements.UsageSummaryView;
import io.modelyard.portal.ChartSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The usage page's content: a chart per meter with use, a quota bar per meter, the invoice preview. */
public record UsageReport(UsageSummaryView summary, InvoicePreviewView invoice, List<MeterChart> charts,
        List<QuotaBar> quotas) {

    /** Daily use of one meter. */
    public record MeterChart(String meter, String label, String units, String json, BigDecimal total) {
    }

    /**
     * Use against the period's limit (or, without a hard limit, against what the plan includes).
     *
     * @param max the bar's end: the limit, or what is included; null when neither bounds it
     */
    public record QuotaBar(String meter, String label, String units, BigDecimal used, BigDecimal max,
            String maxKind, boolean overLimit, boolean hard) {

        public String usedPercent() {
            return max == null || max.signum() == 0 ? "" : String.format(Locale.ROOT, "%.0f%%",
                    used.doubleValue() * 100 / max.doubleValue());
        }
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
                series.add(v);
                total = total.add(BigDecimal.valueOf(v));
            }
            charts.add(new MeterChart(meter.wireName(), label(meter), units(meter), ChartSpec.bar(days,
                    List.of(ChartSpec.Series.of(units(meter), series)), null, units(meter)).json(),
                    total.stripTrailingZeros()));
        });
        List<QuotaBar> quotas = summary.meters().stream().map(m -> {
            boolean hard = m.limit() != null;
            BigDecimal max = hard ? m.limit() : m.included() != null && m.included().signum() > 0 ? m.included() : null;
            return new QuotaBar(m.meter().wireName(), label(m.meter()), units(m.meter()), m.used(), max,
                    hard ? "limit" : max == null ? "" : "included", m.overLimit(), hard);
        }).toList();
        return new UsageReport(summary, invoice, charts, quotas);
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

    /** The meter's unit in the plural, as quantities are written. */
    static String units(Meter meter) {
        return switch (meter) {
            case STORAGE_BYTE_HOURS -> "byte-hours";
            default -> meter.unit() + "s";
        };
    }
}

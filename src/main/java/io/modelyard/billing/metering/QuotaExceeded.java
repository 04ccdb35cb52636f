package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import io.modelyard.common.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hard quota that would be exceeded. Answered as HTTP 402 {@code quota-exceeded} naming the meter, the limit
 * and when the quota resets (the first of next month, UTC): the fix is to pay — upgrade the plan or get credits
 * — not to authenticate differently (403) or slow down (429).
 *
 * @param used what the period holds already, including reservations in flight
 */
public record QuotaExceeded(String tenantId, Meter meter, BigDecimal limit, BigDecimal used, BigDecimal requested,
        Instant resetsAt) {

    public static final int STATUS = 402;
    public static final String TYPE = "quota-exceeded";

    public ProblemException toProblem() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("meter", meter.wireName());
        extensions.put("limit", Quantities.plain(limit));
        extensions.put("used", Quantities.plain(used));
        extensions.put("requested", Quantities.plain(requested));
        extensions.put("resets_at", resetsAt.toString());
        return new ProblemException(STATUS, TYPE, "Quota exceeded", "The " + meter.wireName() + " quota of your plan ("
                + Quantities.plain(limit).toPlainString() + " " + meter.unit() + "s this period) does not allow "
                + Quantities.plain(requested).toPlainString() + " more; it resets at " + resetsAt
                + ". Upgrade the plan or ask for credits to continue now.", extensions, Map.of());
    }
}

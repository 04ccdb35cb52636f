package io.modelyard.billing.plans;

import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.billing.Meter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A plan as stored in {@code plans} and {@code plan_meters}: limits, rate limits, price and, per meter, what is
 * included each month, how the quota is enforced and the price beyond what is included.
 *
 * @param basePrice                 the monthly price in minor units of {@code currency}
 * @param maxImagePixelsPerRequest  width x height summed over one prediction request's images; null: the
 *                                  platform's default
 */
public record Plan(String name, String displayName, String currency, long basePrice, long maxUploadBytes,
        long storageCapBytes, int maxConcurrentJobs, Long maxImagePixelsPerRequest, RateLimits rateLimits,
        Map<Meter, MeterTerms> meters, Instant createdAt, Instant updatedAt) {

    /** Requests per second and burst, for each API key and for the tenant as a whole. */
    public record RateLimits(BigDecimal keyRate, int keyBurst, BigDecimal tenantRate, int tenantBurst) {
    }

    /**
     * @param limit     null when unlimited
     * @param unitPrice minor units per unit beyond {@code included}; may be fractional
     */
    public record MeterTerms(BigDecimal included, Quota quota, BigDecimal limit, BigDecimal unitPrice) {

        static final MeterTerms NONE = new MeterTerms(BigDecimal.ZERO, Quota.SOFT, null, BigDecimal.ZERO);
    }

    /** Hard: refused beyond the limit. Soft: allowed and billed beyond it, shown as over the limit. */
    public enum Quota {
        HARD, SOFT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Quota fromWire(String value) {
            return "hard".equals(value) ? HARD : SOFT;
        }
    }

    public MeterTerms terms(Meter meter) {
        return meters.getOrDefault(meter, MeterTerms.NONE);
    }

    PlanLimits limits() {
        return new PlanLimits(name, maxUploadBytes, storageCapBytes, maxConcurrentJobs, maxImagePixelsPerRequest);
    }
}

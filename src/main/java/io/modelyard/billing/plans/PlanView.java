package io.modelyard.billing.plans;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan: limits, rate limits, monthly base price and per-meter terms. Money in minor units of currency.
 *
 * @param maxImagePixelsPerRequest width x height summed over one prediction request's images; null: the
 *                                 platform's default ({@code modelyard.serving.max-image-pixels-per-request})
 */
public record PlanView(String id, String object, String displayName, String currency, long basePrice,
        long maxUploadBytes, long storageCapBytes, int maxConcurrentJobs, Long maxImagePixelsPerRequest,
        RateLimitsView rateLimits,
        Map<String, MeterTermsView> meters, Instant createdAt, Instant updatedAt) {

    /** Requests per second and burst, per API key and per tenant. */
    public record RateLimitsView(Bucket apiKey, Bucket tenant) {
    }

    public record Bucket(BigDecimal requestsPerSecond, int burst) {
    }

    /**
     * @param limit     null: unlimited
     * @param unitPrice minor units per unit beyond what is included, as a decimal string
     */
    public record MeterTermsView(BigDecimal included, Plan.Quota quota, BigDecimal limit, String unitPrice) {
    }

    public static PlanView of(Plan plan) {
        Map<String, MeterTermsView> meters = new LinkedHashMap<>();
        for (Meter meter : Meter.values()) {
            Plan.MeterTerms terms = plan.terms(meter);
            meters.put(meter.wireName(), new MeterTermsView(Quantities.plain(terms.included()), terms.quota(),
                    Quantities.plain(terms.limit()), Quantities.plain(terms.unitPrice()).toPlainString()));
        }
        Plan.RateLimits rates = plan.rateLimits();
        return new PlanView(plan.name(), "plan", plan.displayName(), plan.currency(), plan.basePrice(),
                plan.maxUploadBytes(), plan.storageCapBytes(), plan.maxConcurrentJobs(), plan.maxImagePixelsPerRequest(),
                new RateLimitsView(new Bucket(Quantities.plain(rates.keyRate()), rates.keyBurst()),
                        new Bucket(Quantities.plain(rates.tenantRate()), rates.tenantBurst())),
                meters, plan.createdAt(), plan.updatedAt());
    }
}

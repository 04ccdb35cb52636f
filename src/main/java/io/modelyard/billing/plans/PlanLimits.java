package io.modelyard.billing.plans;

/**
 * What a tenant's plan allows, for the features that enforce it.
 *
 * @param maxImagePixelsPerRequest width x height summed over one prediction request's images; null: the
 *                                 platform's default, which serving knows
 */
public record PlanLimits(String plan, long maxUploadBytes, long storageCapBytes, int maxConcurrentJobs,
        Long maxImagePixelsPerRequest) {
}

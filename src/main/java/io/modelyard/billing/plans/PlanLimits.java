package io.modelyard.billing.plans;

/** What a tenant's plan allows, for the features that enforce it. */
public record PlanLimits(String plan, long maxUploadBytes, long storageCapBytes, int maxConcurrentJobs) {
}

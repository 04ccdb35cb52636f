package io.modelyard.optimization;

import io.modelyard.billing.metering.UsageEstimate;
import io.modelyard.model.spec.TaskType;

/**
 * The answer to a tuning job's {@code dry_run}: what it would search and the compute it would hold.
 *
 * @param estimatedComputeSeconds the trials' estimated seconds (on the high side), capped by the compute budget
 */
public record TuningEstimate(String object, String datasetVersionId, TaskType task, Objective objective,
        String strategy, SearchSpace searchSpace, TuningRequests.Budget budget, int[] rungs, long trainingRows,
        long estimatedComputeSeconds, String meter, UsageEstimate price) {
}

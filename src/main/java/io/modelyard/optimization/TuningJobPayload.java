package io.modelyard.optimization;

import io.modelyard.model.spec.TaskType;

/**
 * What a tuning job carries through the queue, resolved at creation: the completed search space, the budget,
 * the seed. {@code datasetVersionId} keeps the dataset from being deleted while the job may still read it.
 *
 * @param maxComputeSeconds null when only trials bound the job
 * @param heldSeconds       compute held against the quota at creation
 */
public record TuningJobPayload(String datasetVersionId, TaskType task, Objective objective, String strategy,
        SearchSpace searchSpace, int maxTrials, Long maxComputeSeconds, int reductionFactor, long seed,
        String modelName, long heldSeconds, String createdBy) {

    TuningPlan.Strategy plannedStrategy() {
        return "random".equals(strategy) ? TuningPlan.Strategy.RANDOM : TuningPlan.Strategy.ADAPTIVE;
    }
}

package io.modelyard.training;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;

/**
 * The answer to a {@code dry_run}: what the job would train and roughly how much compute it needs.
 *
 * @param estimatedComputeSeconds an upper-side estimate from rows × epochs and the architecture's cost
 * @param price                   what that compute costs beyond the plan's included seconds
 */
public record TrainingEstimate(String object, String datasetVersionId, TaskType task, Architecture architecture,
        SizePreset size, Hyperparameters hyperparameters, String modelName, long trainingRows,
        long estimatedComputeSeconds, String meter, Object price) {
}

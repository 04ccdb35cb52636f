package io.modelyard.optimization;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Quantization;

/**
 * A compression job as queued, resolved at creation.
 *
 * @param fineTune the hyperparameters of the pruning's fine-tuning (the model's own, fewer epochs, lower rate),
 *                 or null without pruning
 */
public record CompressionJobPayload(String sourceModelId, String datasetVersionId, TaskType task,
        Architecture architecture, Double sparsity, Hyperparameters fineTune, Quantization quantization,
        double tolerance, String modelName, String createdBy) {
}

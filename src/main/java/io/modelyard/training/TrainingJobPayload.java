package io.modelyard.training;

import io.modelyard.training.engine.Architecture;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TaskType;
import io.modelyard.training.engine.TrainingSpec;

/**
 * What a training job carries through the queue: everything a worker needs, resolved at creation (so a change
 * to presets later never changes a queued job).
 *
 * @param createdBy the actor reference of who asked for it; the model records it
 */
public record TrainingJobPayload(String datasetVersionId, TaskType task, Architecture architecture, SizePreset size,
        Hyperparameters hyperparameters, String modelName, String createdBy) {

    TrainingSpec spec() {
        return new TrainingSpec(task, architecture, size, hyperparameters);
    }
}

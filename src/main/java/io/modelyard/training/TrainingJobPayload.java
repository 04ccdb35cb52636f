package io.modelyard.training;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;

/**
 * What a training job carries through the queue: everything a worker needs, resolved at creation (so a change
 * to presets later never changes a queued job).
 *
 * @param createdBy the actor reference of who asked for it; the model records it
 * @param transfer  what the run starts from besides random weights, or null
 */
public record TrainingJobPayload(String datasetVersionId, TaskType task, Architecture architecture, SizePreset size,
        Hyperparameters hyperparameters, String modelName, String createdBy, Transfer transfer) {

    /**
     * Transfer learning, resolved at creation.
     *
     * @param initFromModel the source model's id
     * @param wordVectorsId uploaded word vectors for the embedding
     * @param encoderId     an imported encoder the head trains on
     */
    public record Transfer(String initFromModel, Initialization.Freeze freeze, String wordVectorsId,
            String encoderId) {
    }

    /** A payload without transfer learning. */
    public TrainingJobPayload(String datasetVersionId, TaskType task, Architecture architecture, SizePreset size,
            Hyperparameters hyperparameters, String modelName, String createdBy) {
        this(datasetVersionId, task, architecture, size, hyperparameters, modelName, createdBy, null);
    }

    TrainingSpec spec() {
        return new TrainingSpec(task, architecture, size, hyperparameters);
    }
}

package io.modelyard.optimization;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;

/** A distillation job as queued, resolved at creation: the teacher, the student's full spec, T and alpha. */
public record DistillationJobPayload(String teacherModelId, String datasetVersionId, TaskType task,
        Architecture studentArchitecture, SizePreset studentSize, Hyperparameters studentHyperparameters,
        double temperature, double alpha, String modelName, String createdBy) {
}

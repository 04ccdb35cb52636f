package io.modelyard.model;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;
import java.util.List;
import java.util.Map;

/**
 * What a finished training job registers. The artifact must already be in the blob store.
 *
 * @param hyperparameters the resolved hyperparameters (serialised as the API shows them)
 * @param evaluation      the test-split evaluation
 * @param trainingSummary epochs run, best epoch, early stopping, device, samples processed
 * @param dataSummary     rows per split, label distribution: for the model card
 * @param createdBy       the actor reference of whoever started the training
 */
public record NewModel(String name, TaskType task, Architecture architecture, String datasetVersionId,
        String trainingJobId, Object hyperparameters, Object evaluation, Map<String, Object> trainingSummary,
        Map<String, Object> dataSummary, List<String> labels, BlobInfo artifact, Map<String, String> metadata,
        String createdBy) {
}

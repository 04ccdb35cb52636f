package io.modelyard.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model version as clients see it.
 *
 * @param evaluation metrics on the held-out test split the model never trained on
 * @param training   how the run went: epochs, best epoch, early stopping, device, samples
 */
public record ModelView(String id, String object, String name, int version, TaskType task, Architecture architecture,
        String datasetVersionId, String trainingJobId, JsonNode hyperparameters, JsonNode evaluation,
        JsonNode training, List<String> labels, Artifact artifact, List<String> aliases, String status,
        Map<String, String> metadata, String createdBy, Instant createdAt) {

    public record Artifact(String sha256, long sizeBytes) {
    }
}

package io.modelyard.optimization;

import io.modelyard.model.spec.Architecture;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.SizePreset;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

public final class DistillationRequests {

    private DistillationRequests() {
    }

    /**
     * @param teacherModelId   the classifier to distill (id or alias)
     * @param datasetVersionId the data the student learns from; default the teacher's own dataset version
     * @param student          the smaller network; default {@code bag_of_embeddings} (text) or a one-layer
     *                         {@code mlp} (tabular), size {@code small}
     * @param temperature      softens the teacher's probabilities (default 2)
     * @param alpha            weight of the teacher's soft targets against the true labels (default 0.5)
     */
    public record CreateDistillationJob(
            @NotBlank String teacherModelId,
            String datasetVersionId,
            Student student,
            Double temperature,
            Double alpha,
            Long seed,
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be lowercase letters, digits, '.', '_' or '-'")
            String modelName,
            @Pattern(regexp = "[a-z0-9._-]{1,40}", message = "must be 1 to 40 lowercase letters, digits, '.', '_' or '-'")
            String suffix,
            @Size(max = 20) Map<String, String> metadata,
            Boolean dryRun) {
    }

    /** The student network: as a training job names one. */
    public record Student(Architecture architecture, SizePreset size, HyperparameterOverrides hyperparameters) {
    }
}

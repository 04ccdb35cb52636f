package io.modelyard.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.SizePreset;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

public final class TrainingJobRequests {

    private TrainingJobRequests() {
    }

    /**
     * @param datasetVersionId the exact, immutable dataset version to learn from
     * @param task             defaults to the dataset's task; must match it
     * @param architecture     defaults to {@code bag_of_embeddings} for text, {@code mlp} for tabular data
     * @param size             a preset ({@code small}, {@code base}, {@code large}); default {@code small}
     * @param hyperparameters  explicit values over the preset
     * @param seed             shorthand for {@code hyperparameters.seed}
     * @param modelName        the registry name; default: the dataset's name
     * @param suffix           appended to the model name, e.g. {@code -v2-lowlr}
     * @param dryRun           only estimate compute and price; start nothing
     * @param initFromModel    fine-tune an earlier model of the tenant (id or alias): its architecture,
     *                         hyperparameters (under the request's), preprocessing and weights; a new label set gets a
     *                         new head
     * @param freeze           {@code none} (default), {@code embedding} or {@code encoder} (all but the head)
     * @param wordVectorsId    uploaded word vectors that initialise the embedding of a text model
     * @param encoderId        an imported encoder (architecture {@code imported_encoder}): a head is trained on it
     */
    public record CreateTrainingJob(
            @NotBlank String datasetVersionId,
            TaskType task,
            Architecture architecture,
            SizePreset size,
            HyperparameterOverrides hyperparameters,
            Long seed,
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be lowercase letters, digits, '.', '_' or '-'")
            String modelName,
            @Pattern(regexp = "[a-z0-9._-]{1,40}", message = "must be 1 to 40 lowercase letters, digits, '.', '_' or '-'")
            String suffix,
            @Size(max = 20) Map<String, String> metadata,
            Boolean dryRun,
            String initFromModel,
            Initialization.Freeze freeze,
            String wordVectorsId,
            String encoderId) {

        @JsonCreator
        public CreateTrainingJob {
        }

        /** A request without transfer learning (the fields before it existed). */
        public CreateTrainingJob(String datasetVersionId, TaskType task, Architecture architecture, SizePreset size,
                HyperparameterOverrides hyperparameters, Long seed, String modelName, String suffix,
                Map<String, String> metadata, Boolean dryRun) {
            this(datasetVersionId, task, architecture, size, hyperparameters, seed, modelName, suffix, metadata, dryRun,
                    null, null, null, null);
        }
    }
}

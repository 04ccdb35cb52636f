package io.modelyard.optimization;

import io.modelyard.training.engine.Quantization;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

public final class CompressionRequests {

    private CompressionRequests() {
    }

    /**
     * @param modelId          the classifier to compress (id or alias)
     * @param datasetVersionId where to fine-tune and measure; default the model's own dataset version
     * @param pruning          magnitude pruning with fine-tuning, or null
     * @param quantization     {@code int8} or {@code fp16} storage of the weights, or null
     * @param tolerance        how much test macro F1 may drop (0.01: one point); default 0.01
     */
    public record CreateCompressionJob(
            @NotBlank String modelId,
            String datasetVersionId,
            Pruning pruning,
            Quantization quantization,
            Double tolerance,
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be lowercase letters, digits, '.', '_' or '-'")
            String modelName,
            @Pattern(regexp = "[a-z0-9._-]{1,40}", message = "must be 1 to 40 lowercase letters, digits, '.', '_' or '-'")
            String suffix,
            @Size(max = 20) Map<String, String> metadata,
            Boolean dryRun) {
    }

    /**
     * @param sparsity       share of the weights set to zero, smallest magnitude first (0 < s < 1)
     * @param fineTuneEpochs epochs of training with the zeros held (default 2)
     * @param learningRate   of the fine-tuning (default half the model's own)
     */
    public record Pruning(Double sparsity, Integer fineTuneEpochs, Double learningRate) {
    }
}

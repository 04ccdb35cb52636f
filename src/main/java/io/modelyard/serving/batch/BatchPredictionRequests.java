package io.modelyard.serving.batch;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;

public final class BatchPredictionRequests {

    private BatchPredictionRequests() {
    }

    /**
     * {@code POST /v1/batch-predictions}.
     *
     * @param model            a model id or alias, resolved to the model's id when the job is created
     * @param datasetVersionId the rows to predict: a version of the tenant's dataset for the model's task
     * @param format           {@code csv} or {@code jsonl} (default)
     * @param topK             classification: the k most probable classes instead of all probabilities
     */
    public record CreateBatchPrediction(
            @NotBlank String model,
            @NotBlank String datasetVersionId,
            String format,
            Integer topK,
            @Size(max = 20) Map<String, String> metadata) {
    }
}

package io.modelyard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Request bodies of the OpenAI-compatible API, as its SDKs send them. */
final class OpenAiRequests {

    private OpenAiRequests() {
    }

    /**
     * {@code POST /fine_tuning/jobs}. {@code hyperparameters} (or {@code method.supervised.hyperparameters}):
     * {@code n_epochs}, {@code batch_size}, {@code learning_rate_multiplier}, each a number or {@code "auto"}.
     */
    record CreateFineTuningJob(String model, String trainingFile, String validationFile, JsonNode hyperparameters,
            String suffix, Long seed, Map<String, String> metadata, JsonNode method, List<JsonNode> integrations) {
    }
}

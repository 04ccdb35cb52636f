package io.modelyard.openai;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** OpenAI's object shapes, as its SDKs read them: snake_case, Unix seconds, every documented member present. */
final class OpenAiViews {

    private OpenAiViews() {
    }

    /**
     * A list envelope. {@code first_id}/{@code last_id} as the files and checkpoints lists carry them; the SDKs'
     * pagers read {@code has_more} and continue after the last item's id.
     */
    record ListOf<T>(String object, List<T> data, boolean hasMore, String firstId, String lastId) {

        static <T> ListOf<T> of(List<T> data, boolean hasMore, java.util.function.Function<T, String> id) {
            return new ListOf<>("list", data, hasMore, data.isEmpty() ? null : id.apply(data.get(0)),
                    data.isEmpty() ? null : id.apply(data.get(data.size() - 1)));
        }
    }

    record FileObject(String id, String object, long bytes, long createdAt, Long expiresAt, String filename,
            String purpose, String status, String statusDetails) {
    }

    record Deleted(String id, String object, boolean deleted) {
    }

    record Hyperparameters(Object nEpochs, Object batchSize, Object learningRateMultiplier) {
    }

    record Method(String type, Map<String, Object> supervised) {
    }

    record JobError(String code, String message, String param) {
    }

    record FineTuningJob(String id, String object, long createdAt, Long finishedAt, String model,
            String fineTunedModel, String organizationId, List<String> resultFiles, String status,
            String validationFile, String trainingFile, Hyperparameters hyperparameters, Long trainedTokens,
            JobError error, Long seed, Long estimatedFinish, List<Object> integrations, Map<String, String> metadata,
            Method method, String userProvidedSuffix) {
    }

    record Event(String id, String object, long createdAt, String level, String message, Map<String, Object> data,
            String type) {
    }

    record Checkpoint(String id, String object, long createdAt, String fineTunedModelCheckpoint,
            String fineTuningJobId, Map<String, Object> metrics, long stepNumber) {
    }

    record Model(String id, String object, long created, String ownedBy) {
    }

    static long seconds(Instant instant) {
        return instant.getEpochSecond();
    }

    static Long secondsOrNull(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}

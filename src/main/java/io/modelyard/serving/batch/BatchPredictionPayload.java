package io.modelyard.serving.batch;

/**
 * What a {@code batch_predict} job carries through the queue, resolved at creation: the model's id (an alias
 * moved later does not change a queued job) and the row count its predictions quota was reserved for.
 *
 * @param apiKeyId the API key that created the job, if one did: its usage is attributed to it
 */
record BatchPredictionPayload(String modelId, String datasetVersionId, ResultFormat format, Integer topK,
        long rows, String apiKeyId) {
}

package io.modelyard.serving.batch;

import io.modelyard.dataset.format.DatasetFormat;

/**
 * What a {@code batch_predict} job carries through the queue, resolved at creation: the model's id (an alias
 * moved later does not change a queued job) and the row count its predictions quota was reserved for. The rows
 * are either a dataset version's ({@code datasetVersionId}) or an uploaded file's ({@code inputBlobKey} and how
 * to read it); exactly one of the two is set. An uploaded zip of images is kept as an {@link ImageBatchFile}
 * ({@code inputArchive} {@code zip}, no {@code inputFormat}).
 *
 * @param apiKeyId the API key that created the job, if one did: its usage is attributed to it
 */
record BatchPredictionPayload(String modelId, String datasetVersionId, ResultFormat format, Integer topK,
        long rows, String apiKeyId, String inputBlobKey, DatasetFormat inputFormat, String inputDelimiter,
        Long inputBytes, String inputSha256, String inputArchive) {

    static final String ZIP = "zip";

    static BatchPredictionPayload ofVersion(String modelId, String datasetVersionId, ResultFormat format,
            Integer topK, long rows, String apiKeyId) {
        return new BatchPredictionPayload(modelId, datasetVersionId, format, topK, rows, apiKeyId, null, null, null,
                null, null, null);
    }

    static BatchPredictionPayload ofUpload(String modelId, BatchUploads.Stored input, ResultFormat format,
            Integer topK, String apiKeyId) {
        return new BatchPredictionPayload(modelId, null, format, topK, input.rows(), apiKeyId, input.key(),
                input.format(), input.delimiter() == null ? null : String.valueOf(input.delimiter()), input.bytes(),
                input.sha256(), input.images() ? ZIP : null);
    }

    boolean uploaded() {
        return inputBlobKey != null;
    }

    /** Whether the input is the images of an uploaded zip. */
    boolean imageArchive() {
        return ZIP.equals(inputArchive);
    }
}

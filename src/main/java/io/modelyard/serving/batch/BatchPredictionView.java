package io.modelyard.serving.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import java.time.Instant;
import java.util.Map;

/**
 * A batch prediction as clients see it: the job's life (state, progress, attempts, error) and what it predicts.
 *
 * @param input  what is predicted: an uploaded file (its rows and bytes) or a dataset version
 * @param rows   how many rows the input has (what the job predicts and is billed for)
 * @param result the written file once the job succeeded, else null; download it from {@code result_url}
 */
public record BatchPredictionView(String id, String object, JobState state, String modelId,
        String datasetVersionId, Input input, ResultFormat format, Integer topK, long rows, double progress,
        Instant estimatedFinishAt, Result result, String resultUrl, int attempt, int maxAttempts,
        JobView.JobError error, Map<String, String> metadata, String createdBy, Instant createdAt,
        Instant startedAt, Instant finishedAt) {

    /** The result file: rows written, its size and SHA-256 (to check a download against). */
    public record Result(long rows, long resultBytes, String resultSha256, ResultFormat format) {
    }

    /**
     * {@code {"type": "upload", "rows": N, "bytes": B}} (with {@code "archive": "zip"} for a zip of images, whose
     * {@code bytes} are the images it held) or {@code {"type": "dataset_version", ...}}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(String type, String datasetVersionId, Long rows, Long bytes, String archive) {

        static Input of(BatchPredictionPayload payload) {
            return payload.uploaded() ? new Input("upload", null, payload.rows(), payload.inputBytes(),
                    payload.inputArchive())
                    : new Input("dataset_version", payload.datasetVersionId(), null, null, null);
        }
    }

    static BatchPredictionView of(JobView job, BatchPredictionPayload payload) {
        Result result = null;
        if (job.state() == JobState.SUCCEEDED && job.result() != null) {
            result = new Result(number(job.result().get("rows")), number(job.result().get("result_bytes")),
                    String.valueOf(job.result().get("result_sha256")), payload.format());
        }
        return new BatchPredictionView(job.id(), "batch_prediction", job.state(), payload.modelId(),
                payload.datasetVersionId(), Input.of(payload), payload.format(), payload.topK(), payload.rows(),
                job.progress(),
                job.estimatedFinishAt(), result, result == null ? null : "/v1/batch-predictions/" + job.id()
                + "/result", job.attempt(), job.maxAttempts(), job.error(), job.metadata(), job.createdBy(),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}

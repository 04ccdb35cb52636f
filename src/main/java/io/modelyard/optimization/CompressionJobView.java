package io.modelyard.optimization;

import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.training.engine.Quantization;
import java.time.Instant;
import java.util.Map;

/**
 * A compression job as clients see it; once succeeded, {@code result} holds {@code before} and {@code after}
 * (test macro F1 and accuracy, size, latency, parameters, zero fraction), the {@code guard} and, when it passed,
 * the registered model.
 */
public record CompressionJobView(String id, String object, JobState state, String sourceModelId,
        String datasetVersionId, Double sparsity, Integer fineTuneEpochs, Quantization quantization,
        double tolerance, String modelName, String modelId, Map<String, Object> result, double progress,
        Instant estimatedFinishAt, int attempt, int maxAttempts, JobView.JobError error, Map<String, String> metadata,
        String createdBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

    static CompressionJobView of(JobView job, CompressionJobPayload p) {
        Object modelId = job.result() == null ? null : job.result().get("model_id");
        return new CompressionJobView(job.id(), "compression_job", job.state(), p.sourceModelId(),
                p.datasetVersionId(), p.sparsity(), p.fineTune() == null ? null : p.fineTune().epochs(),
                p.quantization(), p.tolerance(), p.modelName(), modelId == null ? null : modelId.toString(),
                job.result(), job.progress(), job.estimatedFinishAt(), job.attempt(), job.maxAttempts(), job.error(),
                job.metadata(), job.createdBy(), job.createdAt(), job.startedAt(), job.finishedAt());
    }
}

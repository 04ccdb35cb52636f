package io.modelyard.optimization;

import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.spec.Architecture;
import io.modelyard.training.engine.Hyperparameters;
import java.time.Instant;
import java.util.Map;

/**
 * A distillation job as clients see it; once succeeded, {@code result} compares {@code teacher} and
 * {@code student} (test macro F1 and accuracy, size, latency, parameters) and names the registered student.
 */
public record DistillationJobView(String id, String object, JobState state, String teacherModelId,
        String datasetVersionId, Architecture studentArchitecture, Hyperparameters studentHyperparameters,
        double temperature, double alpha, String modelName, String modelId, Map<String, Object> result,
        double progress, Instant estimatedFinishAt, int attempt, int maxAttempts, JobView.JobError error,
        Map<String, String> metadata, String createdBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

    static DistillationJobView of(JobView job, DistillationJobPayload p) {
        Object modelId = job.result() == null ? null : job.result().get("model_id");
        return new DistillationJobView(job.id(), "distillation_job", job.state(), p.teacherModelId(),
                p.datasetVersionId(), p.studentArchitecture(), p.studentHyperparameters(), p.temperature(), p.alpha(),
                p.modelName(), modelId == null ? null : modelId.toString(), job.result(), job.progress(),
                job.estimatedFinishAt(), job.attempt(), job.maxAttempts(), job.error(), job.metadata(), job.createdBy(),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }
}

package io.modelyard.training;

import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A training job as clients see it: the job's life (state, progress, attempts, error), what it trains, and its
 * compute.
 *
 * @param modelId  the registered model, once the job succeeded
 * @param transfer what the run started from (an earlier model, word vectors) and what it froze, or null
 * @param compute  what the job holds against the quota while it waits or runs, and what it was charged once it
 *                 ended (succeeded, failed or cancelled); null before anything was held
 */
public record TrainingJobView(String id, String object, JobState state, String datasetVersionId, TaskType task,
        Architecture architecture, SizePreset size, Hyperparameters hyperparameters, String modelName,
        String modelId, double progress, Instant estimatedFinishAt, int attempt, int maxAttempts,
        JobView.JobError error, Map<String, String> metadata, String createdBy, Instant createdAt,
        Instant startedAt, Instant finishedAt, TrainingJobPayload.Transfer transfer, Compute compute) {

    /**
     * @param meter          {@code training_cpu_seconds} or {@code training_gpu_seconds}: the device's
     * @param heldSeconds    held against the quota now (null once released)
     * @param chargedSeconds charged when the job ended (null until then)
     */
    public record Compute(String meter, BigDecimal heldSeconds, BigDecimal chargedSeconds) {
    }

    static TrainingJobView of(JobView job, TrainingJobPayload payload) {
        return of(job, payload, null);
    }

    static TrainingJobView of(JobView job, TrainingJobPayload payload, Compute compute) {
        Object modelId = job.result() == null ? null : job.result().get("model_id");
        return new TrainingJobView(job.id(), "training_job", job.state(), payload.datasetVersionId(),
                payload.task(), payload.architecture(), payload.size(), payload.hyperparameters(),
                payload.modelName(), modelId == null ? null : modelId.toString(), job.progress(),
                job.estimatedFinishAt(), job.attempt(), job.maxAttempts(), job.error(), job.metadata(),
                job.createdBy(), job.createdAt(), job.startedAt(), job.finishedAt(), payload.transfer(),
                compute);
    }
}

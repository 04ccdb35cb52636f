package io.modelyard.training;

import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.training.engine.Architecture;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TaskType;
import java.time.Instant;
import java.util.Map;

/**
 * A training job as clients see it: the job's life (state, progress, attempts, error) and what it trains.
 *
 * @param modelId  the registered model, once the job succeeded
 * @param transfer what the run started from (an earlier model, word vectors) and what it froze, or null
 */
public record TrainingJobView(String id, String object, JobState state, String datasetVersionId, TaskType task,
        Architecture architecture, SizePreset size, Hyperparameters hyperparameters, String modelName,
        String modelId, double progress, Instant estimatedFinishAt, int attempt, int maxAttempts,
        JobView.JobError error, Map<String, String> metadata, String createdBy, Instant createdAt,
        Instant startedAt, Instant finishedAt, TrainingJobPayload.Transfer transfer) {

    static TrainingJobView of(JobView job, TrainingJobPayload payload) {
        Object modelId = job.result() == null ? null : job.result().get("model_id");
        return new TrainingJobView(job.id(), "training_job", job.state(), payload.datasetVersionId(),
                payload.task(), payload.architecture(), payload.size(), payload.hyperparameters(),
                payload.modelName(), modelId == null ? null : modelId.toString(), job.progress(),
                job.estimatedFinishAt(), job.attempt(), job.maxAttempts(), job.error(), job.metadata(),
                job.createdBy(), job.createdAt(), job.startedAt(), job.finishedAt(), payload.transfer());
    }
}

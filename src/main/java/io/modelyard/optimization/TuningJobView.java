package io.modelyard.optimization;

import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.spec.TaskType;
import java.time.Instant;
import java.util.Map;

/**
 * A tuning job as clients see it: the job's life, what it searches and within which budget, live trial counts,
 * and once it has succeeded its {@code result} (the registered model, the best trial, the linear baseline and
 * default-preset trials, the Pareto front, the compute used).
 *
 * @param trials trial counts by state ({@code running}, {@code waiting}, {@code completed}, {@code stopped_early},
 *               ...)
 */
public record TuningJobView(String id, String object, JobState state, String datasetVersionId, TaskType task,
        Objective objective, String strategy, SearchSpace searchSpace, TuningRequests.Budget budget,
        int reductionFactor, long seed, String modelName, String modelId, Map<String, Long> trials,
        String trialsUrl, Map<String, Object> result, double progress, Instant estimatedFinishAt, int attempt,
        int maxAttempts, JobView.JobError error, Map<String, String> metadata, String createdBy, Instant createdAt,
        Instant startedAt, Instant finishedAt) {

    static TuningJobView of(JobView job, TuningJobPayload p, Map<String, Long> trials) {
        Object modelId = job.result() == null ? null : job.result().get("model_id");
        return new TuningJobView(job.id(), "tuning_job", job.state(), p.datasetVersionId(), p.task(), p.objective(),
                p.strategy(), p.searchSpace(), new TuningRequests.Budget(p.maxTrials(), p.maxComputeSeconds()),
                p.reductionFactor(), p.seed(), p.modelName(), modelId == null ? null : modelId.toString(), trials,
                "/v1/tuning-jobs/" + job.id() + "/trials", job.result(), job.progress(), job.estimatedFinishAt(),
                job.attempt(), job.maxAttempts(), job.error(), job.metadata(), job.createdBy(), job.createdAt(),
                job.startedAt(), job.finishedAt());
    }
}

package io.modelyard.job;

import java.time.Instant;
import java.util.Map;

/**
 * A job as clients (and other packages) see it.
 *
 * @param attempt             which attempt runs or ran last, from 1
 * @param progress            percent done, 0 to 100, as the handler last reported it
 * @param estimatedFinishAt   when the handler expects to finish, while it runs
 * @param error               why the job failed, or why its last attempt did while it waits for a retry
 * @param runAfter            a job waiting for a retry is not started before this time
 * @param pauseRequestedAt    when the job was paused (pausing or paused), until it is resumed
 */
public record JobView(String id, String object, String type, JobState state, int attempt, int maxAttempts,
        double progress, Instant estimatedFinishAt, JobError error, Map<String, Object> payload,
        Map<String, Object> result, Map<String, String> metadata, String createdBy, Instant createdAt,
        Instant updatedAt, Instant startedAt, Instant finishedAt, Instant cancelRequestedAt, Instant runAfter,
        Instant pauseRequestedAt) {

    /** A machine-readable {@code code} (snake_case) and a message for people; never a stack trace. */
    public record JobError(String code, String message) {
    }

    static JobView of(Job job) {
        return new JobView(job.id, "job", job.type, job.state, job.attempt, job.maxAttempts, job.progress,
                job.estimatedFinishAt, job.errorCode == null ? null : new JobError(job.errorCode, job.errorMessage),
                job.payload, job.result, job.metadata, job.createdBy, job.createdAt, job.updatedAt, job.startedAt,
                job.finishedAt, job.cancelRequestedAt, job.runAfter, job.pauseRequestedAt);
    }
}

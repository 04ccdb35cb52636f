package io.modelyard.job;

import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * A unit of background work of the current tenant, and its place in the queue. Every state change returns the
 * event that tells it, numbered under the row's lock: callers lock the row ({@link JobRepository#lock}) before
 * changing it. Claims, heartbeats and lease expiry happen in SQL (see V20__jobs.sql).
 */
@Entity
@Table(name = "jobs")
@DynamicUpdate
class Job {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    @Column(nullable = false, updatable = false)
    String type;

    @Column(nullable = false)
    JobState state;

    int attempt;

    @Column(name = "max_attempts", nullable = false, updatable = false)
    int maxAttempts;

    int runs;

    @Column(name = "run_after")
    Instant runAfter;

    @Column(name = "lease_owner")
    String leaseOwner;

    @Column(name = "lease_expires_at")
    Instant leaseExpiresAt;

    @Column(name = "heartbeat_at")
    Instant heartbeatAt;

    double progress;

    @Column(name = "estimated_finish_at")
    Instant estimatedFinishAt;

    @Column(name = "error_code")
    String errorCode;

    @Column(name = "error_message")
    String errorMessage;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    Map<String, Object> payload;

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> result;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    Map<String, String> metadata;

    @Column(name = "event_seq", nullable = false)
    long eventSeq;

    @Column(name = "created_by", nullable = false, updatable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    @Column(name = "cancel_requested_at")
    Instant cancelRequestedAt;

    @Column(name = "pause_requested_at")
    Instant pauseRequestedAt;

    protected Job() {
    }

    static Job queued(String type, Map<String, Object> payload, Map<String, String> metadata, int maxAttempts,
            String createdBy, Instant now) {
        Job job = new Job();
        job.id = TypedId.generate("job");
        job.type = type;
        job.state = JobState.QUEUED;
        job.attempt = 1;
        job.maxAttempts = maxAttempts;
        job.payload = payload;
        job.metadata = metadata;
        job.createdBy = createdBy;
        job.createdAt = now;
        job.updatedAt = now;
        return job;
    }

    /** The event that tells a new job is queued. */
    JobEvent queuedEvent(Instant now) {
        return stateEvent(null, JobState.QUEUED, null, null, now);
    }

    /** Whether the worker holding {@code token} still holds this job: same owner, same run, still active. */
    boolean heldBy(LeaseToken token) {
        return state.isActive() && token.owner().equals(leaseOwner) && token.run() == runs;
    }

    /**
     * A queued job ends cancelled at once; a running one is asked to stop ({@code cancelling}) and ends
     * cancelled when its handler has stopped.
     *
     * @return the event, or null when the job is already being cancelled
     * @throws ProblemException 409 when the job has finished
     */
    JobEvent requestCancel(Instant now) {
        switch (state) {
            case QUEUED, PAUSED -> {
                JobState from = state;
                cancelRequestedAt = now;
                runAfter = null;
                finishedAt = now;
                return stateEvent(from, JobState.CANCELLED, "cancel_requested", null, now);
            }
            case RUNNING, PAUSING -> {
                JobState from = state;
                cancelRequestedAt = now;
                return stateEvent(from, JobState.CANCELLING, "cancel_requested", null, now);
            }
            case CANCELLING -> {
                return null;
            }
            default -> throw ProblemException.conflict("job-finished", "This job has already "
                    + (state == JobState.SUCCEEDED ? "succeeded" : state == JobState.FAILED ? "failed"
                            : "been cancelled") + "; only queued and running jobs can be cancelled.");
        }
    }

    /**
     * A queued job pauses at once; a running one is asked to ({@code pausing}) and is paused when its handler has
     * checkpointed and stopped.
     *
     * @return the event, or null when the job is already pausing or paused
     * @throws ProblemException 409 when the job is being cancelled or has finished
     */
    JobEvent requestPause(Instant now) {
        switch (state) {
            case QUEUED -> {
                pauseRequestedAt = now;
                runAfter = null;
                return stateEvent(JobState.QUEUED, JobState.PAUSED, "pause_requested", null, now);
            }
            case RUNNING -> {
                pauseRequestedAt = now;
                return stateEvent(JobState.RUNNING, JobState.PAUSING, "pause_requested", null, now);
            }
            case PAUSING, PAUSED -> {
                return null;
            }
            case CANCELLING -> throw ProblemException.conflict("job-cancelling",
                    "This job is being cancelled; it cannot be paused.");
            default -> throw finished("paused");
        }
    }

    /**
     * A paused job goes back to the queue and continues from its checkpoint when a worker takes it.
     *
     * @return the event, or null when the job is not paused but queued or running already
     * @throws ProblemException 409 while the job is still pausing, being cancelled, or finished
     */
    JobEvent requestResume(Instant now) {
        switch (state) {
            case PAUSED -> {
                pauseRequestedAt = null;
                runAfter = null;
                return stateEvent(JobState.PAUSED, JobState.QUEUED, "resume_requested", null, now);
            }
            case QUEUED, RUNNING -> {
                return null;
            }
            case PAUSING -> throw ProblemException.conflict("job-pausing",
                    "This job is still saving its checkpoint; resume it once it is paused.");
            case CANCELLING -> throw ProblemException.conflict("job-cancelling",
                    "This job is being cancelled; it cannot be resumed.");
            default -> throw finished("resumed");
        }
    }

    /** The handler checkpointed and stopped after a pause was asked for. */
    JobEvent paused(Instant now) {
        return leave(JobState.PAUSED, "paused", null, now);
    }

    private ProblemException finished(String verb) {
        return ProblemException.conflict("job-finished", "This job has already "
                + (state == JobState.SUCCEEDED ? "succeeded" : state == JobState.FAILED ? "failed"
                        : "been cancelled") + "; it cannot be " + verb + ".");
    }

    JobEvent succeed(Map<String, Object> output, Instant now) {
        result = output;
        progress = 100;
        errorCode = null;
        errorMessage = null;
        finishedAt = now;
        return leave(JobState.SUCCEEDED, null, null, now);
    }

    JobEvent fail(String code, String message, Instant now) {
        errorCode = code;
        errorMessage = message;
        finishedAt = now;
        return leave(JobState.FAILED, null, new JobView.JobError(code, message), now);
    }

    /** The handler stopped after a cancellation was asked for. */
    JobEvent cancelled(Instant now) {
        finishedAt = now;
        return leave(JobState.CANCELLED, null, null, now);
    }

    /** A retryable failure with attempts left: the next attempt waits in the queue until {@code notBefore}. */
    JobEvent retryLater(String code, String message, Instant notBefore, Instant now) {
        if (attempt >= maxAttempts) {
            throw new IllegalStateException("No attempts left for " + id);
        }
        attempt++;
        runAfter = notBefore;
        errorCode = code;
        errorMessage = message;
        JobEvent event = leave(JobState.QUEUED, "retry", new JobView.JobError(code, message), now);
        event.data.put("run_after", notBefore.toString());
        event.level = JobEventLevel.WARNING;
        return event;
    }

    /** The worker is shutting down: the job goes back to the queue at once, keeping its attempt. */
    JobEvent release(Instant now) {
        runAfter = null;
        return leave(JobState.QUEUED, "preempted", null, now);
    }

    JobEvent reportProgress(double percent, Instant estimatedFinish, Instant now) {
        progress = percent;
        estimatedFinishAt = estimatedFinish;
        updatedAt = now;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("percent", percent);
        data.put("estimated_finish_at", estimatedFinish == null ? null : estimatedFinish.toString());
        return event(JobEventType.PROGRESS, null, data, now);
    }

    /** An event that changes nothing else: a metric, a message, a checkpoint. */
    JobEvent record(JobEventType type, JobEventLevel level, Map<String, Object> data, Instant now) {
        return event(type, level, new LinkedHashMap<>(data), now);
    }

    private JobEvent leave(JobState to, String reason, JobView.JobError error, Instant now) {
        JobState from = state;
        leaseOwner = null;
        leaseExpiresAt = null;
        estimatedFinishAt = null;
        return stateEvent(from, to, reason, error, now);
    }

    private JobEvent stateEvent(JobState from, JobState to, String reason, JobView.JobError error, Instant now) {
        state = to;
        updatedAt = now;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from == null ? null : from.wireName());
        data.put("to", to.wireName());
        data.put("attempt", attempt);
        if (reason != null) {
            data.put("reason", reason);
        }
        if (error != null) {
            data.put("error", Map.of("code", error.code(), "message", error.message()));
        }
        return event(JobEventType.STATE, error == null ? null : JobEventLevel.ERROR, data, now);
    }

    private JobEvent event(JobEventType type, JobEventLevel level, Map<String, Object> data, Instant now) {
        eventSeq++;
        return new JobEvent(id, eventSeq, type, level, data, now);
    }

    public String id() {
        return id;
    }

    public JobState state() {
        return state;
    }
}

package io.modelyard.job;

import io.modelyard.common.PlatformClock;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a worker writes to a job it holds, each in its own transaction inside the job's tenant, and only while
 * its lease token still matches the row (locked for the check): a worker that lost the job changes nothing.
 */
@ApplicationScoped
class JobLeases {

    /** How a run was recorded; {@code LOST} when the lease was gone and nothing was written. */
    enum Ending { SUCCEEDED, FAILED, CANCELLED, RETRYING, RELEASED, PAUSED, LOST }

    /** The ending, and for a job back in the queue, when it may run again (null: at once). */
    record Recorded(Ending ending, Instant runAfter) {
    }

    private final TenantScope tenantScope;
    private final JobRepository jobs;
    private final JobEventRepository events;
    private final JobSignals signals;
    private final JobsConfig config;
    private final PlatformClock clock;

    JobLeases(TenantScope tenantScope, JobRepository jobs, JobEventRepository events, JobSignals signals,
            JobsConfig config, PlatformClock clock) {
        this.tenantScope = tenantScope;
        this.jobs = jobs;
        this.events = events;
        this.signals = signals;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The actor a job's handler acts as inside its tenant: the job itself, with what a member may do to data
     * (not manage members or keys). Audit records written by handlers name the job.
     */
    static Actor actorFor(String jobId) {
        return new Actor(Actor.Type.SYSTEM, "job:" + jobId, "job " + jobId, null,
                EnumSet.of(Permission.READ, Permission.DATASETS_WRITE, Permission.JOBS_WRITE, Permission.PREDICT));
    }

    /**
     * Applies {@code change} (which returns the event telling it) if {@code token} still holds the job.
     *
     * @return false when the lease is lost
     */
    boolean record(LeaseToken token, Function<Job, JobEvent> change) {
        return inJob(token, job -> {
            JobEvent event = change.apply(job);
            if (event != null) {
                events.persist(event);
                signals.eventsAppended(job.id);
            }
            return true;
        }).orElse(false);
    }

    /** Records how a run ended: the job's next state follows from the outcome and from cancellation. */
    Recorded finish(LeaseToken token, RunOutcome outcome) {
        return inJob(token, job -> {
            Instant now = clock.now();
            JobEvent event;
            Recorded recorded;
            if (outcome.kind() == RunOutcome.Kind.SUCCEEDED) {
                if (outcome.onRecorded() != null) {
                    outcome.onRecorded().run();
                }
                event = job.succeed(outcome.result(), now);
                recorded = new Recorded(Ending.SUCCEEDED, null);
            } else if (job.state == JobState.CANCELLING || outcome.stopReason() == StopReason.CANCEL) {
                if (outcome.onRecorded() != null) {
                    outcome.onRecorded().run();
                }
                event = job.cancelled(now);
                recorded = new Recorded(Ending.CANCELLED, null);
            } else if (outcome.kind() == RunOutcome.Kind.STOPPED
                    && (job.state == JobState.PAUSING || outcome.stopReason() == StopReason.PAUSE)) {
                event = job.paused(now);
                recorded = new Recorded(Ending.PAUSED, null);
            } else if (outcome.kind() == RunOutcome.Kind.STOPPED) {
                event = job.release(now);
                recorded = new Recorded(Ending.RELEASED, null);
            } else if (outcome.retryable() && job.attempt < job.maxAttempts) {
                // Compared with the database's clock when claiming: real time, not the platform clock that
                // tests of time-dependent rules may move.
                Instant runAfter = Instant.now().truncatedTo(ChronoUnit.MICROS)
                        .plus(Backoff.after(job.attempt, config.backoffBase(), config.backoffMax()));
                event = job.retryLater(outcome.code(), outcome.message(), runAfter, now);
                recorded = new Recorded(Ending.RETRYING, runAfter);
            } else {
                if (outcome.onRecorded() != null) {
                    outcome.onRecorded().run();
                }
                event = job.fail(outcome.code(), outcome.message(), now);
                recorded = new Recorded(Ending.FAILED, null);
            }
            events.persist(event);
            signals.eventsAppended(job.id);
            if (job.state == JobState.QUEUED && job.runAfter == null) {
                signals.jobQueued(job.type);
            }
            return recorded;
        }).orElse(new Recorded(Ending.LOST, null));
    }

    private <T> Optional<T> inJob(LeaseToken token, Function<Job, T> work) {
        return tenantScope.call(token.tenantId(), actorFor(token.jobId()), () -> QuarkusTransaction.requiringNew()
                .call(() -> jobs.lock(token.jobId()).filter(job -> job.heldBy(token)).map(work)));
    }
}

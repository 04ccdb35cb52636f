package io.modelyard.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.audit.AuditLog;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantHold;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Jobs of the current tenant: the door other packages use to run background work (a training job enqueues a
 * {@code train} job here, in its own transaction) and to show its progress.
 */
@ApplicationScoped
public class JobService {

    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final int MAX_ATTEMPTS = 20;
    static final int MAX_METADATA_KEYS = 20;
    static final int MAX_METADATA_KEY_LENGTH = 40;
    static final int MAX_METADATA_VALUE_LENGTH = 500;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** What an enqueue is fingerprinted on, for idempotency keys. */
    record EnqueueRequest(String type, Map<String, Object> payload, Map<String, String> metadata, int maxAttempts) {
    }

    /** A stream about to open; {@code finished}: the job is over and the client has seen every event. */
    record StreamOpening(JobEventStreams.Start start, boolean finished) {
    }

    private final JobRepository jobs;
    private final JobEventRepository events;
    private final TenantContext context;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final PlatformClock clock;
    private final JobSignals signals;
    private final JobsConfig config;
    private final ObjectMapper json;
    private final Instance<JobHandler> handlers;
    private final TenantHold tenantHold;

    JobService(JobRepository jobs, JobEventRepository events, TenantContext context, AuditLog audit,
            Idempotency idempotency, PlatformClock clock, JobSignals signals, JobsConfig config, ObjectMapper json,
            @Any Instance<JobHandler> handlers, TenantHold tenantHold) {
        this.handlers = handlers;
        this.tenantHold = tenantHold;
        this.jobs = jobs;
        this.events = events;
        this.context = context;
        this.audit = audit;
        this.idempotency = idempotency;
        this.clock = clock;
        this.signals = signals;
        this.config = config;
        this.json = json;
    }

    /**
     * Queues a job of the current tenant; a worker with a handler for {@code type} runs it once the tenant has a
     * free slot under its plan. Joins the caller's transaction, so the job exists exactly when the caller's own
     * rows do, and workers are woken only when it commits.
     *
     * @param type           the handler's type, e.g. {@code train}
     * @param payload        what the handler needs: anything that serialises to a JSON object (snake_case)
     * @param metadata       the tenant's own labels (at most 20; keys up to 40, values up to 500 characters)
     * @param maxAttempts    attempts before the job fails (1 to 20); null: {@code modelyard.jobs.default-max-attempts}
     * @param idempotencyKey an {@code Idempotency-Key}, or null (pass null when the caller applies its own)
     * @return the job, or the first answer again for a repeated idempotency key
     */
    @Transactional
    public Idempotency.Outcome<JobView> enqueue(String type, Object payload, Map<String, String> metadata,
            Integer maxAttempts, String idempotencyKey) {
        String tenantId = context.require(Permission.JOBS_WRITE);
        if (type == null || !TYPE.matcher(type).matches()) {
            throw ProblemException.invalidField("type", "must be lowercase letters, digits and underscores");
        }
        Map<String, Object> body = payloadObject(payload);
        Map<String, String> labels = validMetadata(metadata);
        int attempts = maxAttempts == null ? config.defaultMaxAttempts() : maxAttempts;
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw ProblemException.invalidField("max_attempts", "must be between 1 and " + MAX_ATTEMPTS);
        }
        EnqueueRequest request = new EnqueueRequest(type, body, labels, attempts);
        // A deletion of the tenant either waits for this job (and cancels it) or went first (and this refuses).
        tenantHold.holdActive();
        return idempotency.once(tenantId, idempotencyKey, "enqueue_job", request, JobView.class, () -> {
            Job job = Job.queued(type, body, labels, attempts, context.actor().reference(), clock.now());
            jobs.persist(job);
            events.persist(job.queuedEvent(job.createdAt));
            jobs.joinQueue(tenantId);
            signals.jobQueued(type);
            audit.record("job.created", "job", job.id, Map.of("type", type));
            return JobView.of(job);
        }, view -> view);
    }

    /** {@code POST /v1/jobs}: a canary job, the only type the generic API creates. */
    @Transactional
    public Idempotency.Outcome<JobView> enqueueCanary(JobRequests.CreateJob request, String idempotencyKey) {
        if (!NoopJobHandler.TYPE.equals(request.type())) {
            throw ProblemException.invalidField("type", "only 'noop' jobs are created here; other kinds of work have"
                    + " their own endpoints, such as POST /v1/training-jobs");
        }
        return enqueue(NoopJobHandler.TYPE, Map.of(), request.metadata(), null, idempotencyKey);
    }

    @Transactional
    public JobView get(String id) {
        context.require(Permission.READ);
        return JobView.of(find(id));
    }

    /**
     * The sum of a numeric payload field over the current tenant's unfinished jobs of {@code type} (for example
     * the bytes of the input files they still hold).
     */
    @Transactional
    public long sumOfUnfinished(String type, String payloadField) {
        String tenantId = context.requireTenant();
        return jobs.sumOfUnfinished(tenantId, type, payloadField);
    }

    /**
     * One unfinished job (paused included) of the tenants this session sees whose payload field names one of
     * {@code values} (for example a dataset version a job reads), in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> unfinishedJobNaming(String payloadField, Collection<String> values) {
        return values.isEmpty() ? Optional.empty() : jobs.unfinishedNaming(payloadField, values);
    }

    /**
     * The values of a payload field over the queued, running and cancelling jobs of {@code type} that this session
     * sees (every tenant's in operator mode), in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> livePayloadValues(String type, String payloadField) {
        return jobs.livePayloadValues(type, payloadField);
    }

    /** Newest first, filtered by type, state and metadata (every given pair must match). */
    @Transactional
    public Page<JobView> list(PageRequest page, String type, JobState state, Map<String, String> metadata) {
        String tenantId = context.require(Permission.READ);
        return Page.of(jobs.page(tenantId, page, type, state, validMetadata(metadata)), page, Job::id,
                JobView::of);
    }

    /**
     * Cancels a job: a queued one at once; a running one is asked to stop (state {@code cancelling}) and ends
     * {@code cancelled} when its handler has stopped. Cancelling a job being cancelled changes nothing.
     *
     * @throws ProblemException 409 when the job has already finished
     */
    @Transactional
    public JobView cancel(String id) {
        context.require(Permission.JOBS_WRITE);
        Job job = jobs.lock(id).orElseThrow(() -> ProblemException.notFound("job", id));
        JobEvent event = job.requestCancel(clock.now());
        if (event != null) {
            events.persist(event);
            signals.eventsAppended(job.id);
            if (job.state == JobState.CANCELLING) {
                signals.cancelRequested(job.id);
            }
            audit.record("job.cancelled", "job", job.id, Map.of("type", job.type, "state", job.state.wireName()));
        }
        return JobView.of(job);
    }

    /**
     * Cancels every unfinished job of the current tenant, because the tenant is being deleted: queued and paused
     * ones at once, running ones at their next step. The deletion checked the caller's right; nothing here does.
     *
     * @return how many jobs were cancelled or asked to stop
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int cancelAllUnfinished() {
        int cancelled = 0;
        for (Job unfinished : jobs.list("state in ?1", List.of(JobState.QUEUED, JobState.RUNNING, JobState.PAUSING,
                JobState.PAUSED))) {
            Job job = jobs.lock(unfinished.id).orElseThrow();
            if (job.state.isFinished() || job.state == JobState.CANCELLING) {
                continue;
            }
            JobEvent event = job.requestCancel(clock.now());
            events.persist(event);
            signals.eventsAppended(job.id);
            if (job.state == JobState.CANCELLING) {
                signals.cancelRequested(job.id);
            }
            cancelled++;
        }
        return cancelled;
    }

    /**
     * Pauses a job of a type that can pause (training, tuning): a queued one at once; a running one is asked to
     * checkpoint and stop ({@code pausing}), and is {@code paused} once its handler has. A paused job holds no
     * worker and uses no compute until it is resumed. Pausing a pausing or paused job changes nothing.
     *
     * @throws ProblemException 409 {@code job-not-pausable} for other types, 409 when cancelling or finished
     */
    @Transactional
    public JobView pause(String id) {
        context.require(Permission.JOBS_WRITE);
        Job job = jobs.lock(id).orElseThrow(() -> ProblemException.notFound("job", id));
        if (!pausable(job.type)) {
            throw ProblemException.conflict("job-not-pausable", "Jobs of type " + job.type
                    + " cannot be paused; training and tuning jobs can.");
        }
        JobEvent event = job.requestPause(clock.now());
        if (event != null) {
            events.persist(event);
            signals.eventsAppended(job.id);
            if (job.state == JobState.PAUSING) {
                signals.pauseRequested(job.id);
            }
            audit.record("job.paused", "job", job.id, Map.of("type", job.type, "state", job.state.wireName()));
        }
        return JobView.of(job);
    }

    /**
     * Resumes a paused job: it goes back to the queue and continues from its checkpoint on the next free worker.
     * Resuming a queued or running job changes nothing.
     *
     * @throws ProblemException 409 while it is still pausing, being cancelled, or finished
     */
    @Transactional
    public JobView resume(String id) {
        context.require(Permission.JOBS_WRITE);
        Job job = jobs.lock(id).orElseThrow(() -> ProblemException.notFound("job", id));
        JobEvent event = job.requestResume(clock.now());
        if (event != null) {
            events.persist(event);
            signals.eventsAppended(job.id);
            signals.jobQueued(job.type);
            audit.record("job.resumed", "job", job.id, Map.of("type", job.type));
        }
        return JobView.of(job);
    }

    private boolean pausable(String type) {
        for (JobHandler handler : handlers) {
            if (handler.type().equals(type)) {
                return handler.pausable();
            }
        }
        return false;
    }

    /** The job's events, oldest first; {@code after} is the id of the last event already seen. */
    @Transactional
    public Page<JobEventView> events(String jobId, PageRequest page) {
        context.require(Permission.READ);
        find(jobId);
        long after = cursor(jobId, page.after("evt"), "after");
        return Page.of(events.after(jobId, after, page.limit() + 1), page, e -> e.id, JobEventView::of);
    }

    /** Checks access and resolves where an event stream starts ({@code Last-Event-ID} or {@code after}). */
    @Transactional
    StreamOpening openStream(String jobId, String afterEventId, String field) {
        String tenantId = context.require(Permission.READ);
        Job job = find(jobId);
        if (afterEventId != null && !afterEventId.isEmpty()
                && !TypedId.isWellFormed("evt", afterEventId)) {
            throw ProblemException.invalidField(field, "must be the id of one of this job's events");
        }
        long after = cursor(jobId, afterEventId == null || afterEventId.isEmpty() ? null : afterEventId, field);
        return new StreamOpening(new JobEventStreams.Start(tenantId, context.actor(), jobId, after),
                job.state.isFinished() && after >= job.eventSeq);
    }

    private Job find(String id) {
        return jobs.findJob(id).orElseThrow(() -> ProblemException.notFound("job", id));
    }

    private long cursor(String jobId, String eventId, String field) {
        if (eventId == null) {
            return 0;
        }
        return events.seqOf(jobId, eventId).orElseThrow(
                () -> ProblemException.invalidField(field, "must be the id of one of this job's events"));
    }

    private Map<String, Object> payloadObject(Object payload) {
        if (payload == null) {
            return Map.of();
        }
        try {
            return json.convertValue(payload, OBJECT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A job payload must serialise to a JSON object", e);
        }
    }

    static Map<String, String> validMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw ProblemException.invalidField("metadata", "at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, String> valid = new LinkedHashMap<>();
        List<ProblemException.FieldError> errors = new ArrayList<>();
        metadata.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
                errors.add(new ProblemException.FieldError("metadata",
                        "keys are 1 to " + MAX_METADATA_KEY_LENGTH + " characters"));
            } else if (value == null || value.length() > MAX_METADATA_VALUE_LENGTH) {
                errors.add(new ProblemException.FieldError("metadata." + key,
                        "must be a string of at most " + MAX_METADATA_VALUE_LENGTH + " characters"));
            } else {
                valid.put(key, value);
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid metadata: " + errors.get(0).field() + " "
                    + errors.get(0).message() + ".", errors);
        }
        return valid;
    }
}

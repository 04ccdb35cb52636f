package io.modelyard.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PlatformClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.function.Function;

/** One run of a job on this worker: what its handler sees, and the stop signal the worker raises. */
final class WorkerExecution implements JobExecution, JobEventSink {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;
    private static final int MAX_MESSAGE_LENGTH = 4_000;

    private final ClaimedJob job;
    private final LeaseToken token;
    private final JobLeases leases;
    private final ObjectMapper json;
    private final PlatformClock clock;
    private final long startedNanos = System.nanoTime();
    private volatile long renewedNanos = System.nanoTime();
    private volatile StopReason stop = StopReason.NONE;
    private volatile boolean ending;
    private boolean progressWritten;
    private long lastProgressNanos;

    WorkerExecution(ClaimedJob job, JobLeases leases, ObjectMapper json, PlatformClock clock) {
        this.job = job;
        this.token = job.token();
        this.leases = leases;
        this.json = json;
        this.clock = clock;
    }

    LeaseToken token() {
        return token;
    }

    /** Raises the stop signal; a stronger reason replaces a weaker one, never the reverse. */
    synchronized void requestStop(StopReason reason) {
        if (reason.ordinal() > stop.ordinal()) {
            stop = reason;
            notifyAll();
        }
    }

    /** The handler has returned; the run is being recorded, so heartbeats no longer concern it. */
    void markEnding() {
        ending = true;
    }

    boolean isEnding() {
        return ending;
    }

    void leaseRenewed() {
        renewedNanos = System.nanoTime();
    }

    /** How long since the lease was last known to be renewed. */
    Duration sinceRenewed() {
        return Duration.ofNanos(System.nanoTime() - renewedNanos);
    }

    // --- JobExecution --------------------------------------------------------------------------------------

    @Override
    public String jobId() {
        return job.id();
    }

    @Override
    public String tenantId() {
        return job.tenantId();
    }

    @Override
    public String type() {
        return job.type();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public boolean resumed() {
        return job.resumed();
    }

    @Override
    public Map<String, Object> payload() {
        return Collections.unmodifiableMap(job.payload());
    }

    @Override
    public <T> T payload(Class<T> type) {
        try {
            return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue((JsonNode) json.valueToTree(job.payload()));
        } catch (IOException | IllegalArgumentException e) {
            throw new JobFailedException("invalid_payload", "The job's payload is not what a "
                    + job.type() + " job takes.", e);
        }
    }

    @Override
    public JobEventSink events() {
        return this;
    }

    @Override
    public StopReason stopRequested() {
        return stop;
    }

    @Override
    public void throwIfStopRequested() {
        StopReason reason = stop;
        if (reason != StopReason.NONE) {
            throw new JobStoppedException(reason);
        }
    }

    @Override
    public synchronized StopReason awaitStop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stop == StopReason.NONE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return stop;
    }

    // --- JobEventSink --------------------------------------------------------------------------------------

    @Override
    public void progress(double percent, Instant estimatedFinishAt) {
        if (Double.isNaN(percent) || percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress is a percentage from 0 to 100, not " + percent);
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (progressWritten && percent < 100 && now - lastProgressNanos < PROGRESS_EVERY_NANOS) {
                return;
            }
            progressWritten = true;
            lastProgressNanos = now;
        }
        Instant eta = estimatedFinishAt != null ? estimatedFinishAt : extrapolate(percent, now);
        double rounded = Math.round(percent * 100) / 100.0;
        write(row -> row.reportProgress(rounded, eta, clock.now()));
    }

    @Override
    public void metrics(Map<String, ?> values) {
        Map<String, Object> data = json.convertValue(values, OBJECT);
        write(row -> row.record(JobEventType.METRIC, null, data, clock.now()));
    }

    @Override
    public void message(JobEventLevel level, String text) {
        String message = text.length() > MAX_MESSAGE_LENGTH ? text.substring(0, MAX_MESSAGE_LENGTH) : text;
        write(row -> row.record(JobEventType.MESSAGE, level, Map.of("message", message), clock.now()));
    }

    @Override
    public void checkpoint(Map<String, ?> data) {
        Map<String, Object> values = json.convertValue(data, OBJECT);
        write(row -> row.record(JobEventType.CHECKPOINT, null, values, clock.now()));
    }

    /** From this run's pace so far; nothing before the first percent is done. */
    private Instant extrapolate(double percent, long nowNanos) {
        if (percent <= 0) {
            return null;
        }
        double elapsed = nowNanos - startedNanos;
        long remaining = (long) (elapsed * (100 - percent) / percent);
        return clock.now().plusNanos(remaining);
    }

    private void write(Function<Job, JobEvent> change) {
        if (stop == StopReason.LEASE_LOST) {
            return;
        }
        if (!leases.record(token, change)) {
            requestStop(StopReason.LEASE_LOST);
        }
    }
}

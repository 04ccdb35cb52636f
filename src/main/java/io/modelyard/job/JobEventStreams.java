package io.modelyard.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.AccessRevoked;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Server-Sent Event streams of jobs' events: each replays what the client has not seen, then follows the job
 * live (woken by {@link JobNotificationListener}, with a slow poll as a backstop) and ends once the job has
 * finished and its last event was sent. A stream reads inside its tenant: the tenant id and the caller travel
 * with the stream as data, since the request that opened it is long gone.
 */
@ApplicationScoped
class JobEventStreams {

    private static final Logger LOG = Logger.getLogger(JobEventStreams.class);
    private static final int BATCH = 200;
    private static final long KEEP_ALIVE_SECONDS = 15;

    /** Where a stream starts: the caller's tenant and the last event it has seen. */
    record Start(String tenantId, Actor actor, String jobId, long afterSeq) {
    }

    private record Batch(Optional<JobState> state, long lastSeq, List<Item> items) {
    }

    private record Item(long seq, JobEventView view) {
    }

    private final TenantScope tenantScope;
    private final JobRepository jobs;
    private final JobEventRepository events;
    private final ObjectMapper json;
    private final JobsConfig config;
    private final Map<String, Set<Stream>> byJob = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> openPerTenant = new ConcurrentHashMap<>();
    private ExecutorService readers;
    private ScheduledExecutorService ticker;

    JobEventStreams(TenantScope tenantScope, JobRepository jobs, JobEventRepository events, ObjectMapper json,
            JobsConfig config) {
        this.tenantScope = tenantScope;
        this.jobs = jobs;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    @PostConstruct
    void init() {
        readers = Executors.newFixedThreadPool(2, daemon("job-event-streams"));
        ticker = Executors.newSingleThreadScheduledExecutor(daemon("job-event-keepalive"));
        ticker.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
        readers.shutdownNow();
    }

    /**
     * Opens a stream, if the tenant has fewer than its cap open here.
     *
     * @throws ProblemException 429 beyond {@code modelyard.jobs.max-streams-per-tenant}
     */
    Multi<OutboundSseEvent> open(Start start, Sse sse) {
        AtomicInteger open = openPerTenant.computeIfAbsent(start.tenantId(), t -> new AtomicInteger());
        if (open.incrementAndGet() > config.maxStreamsPerTenant()) {
            open.decrementAndGet();
            throw new ProblemException(429, "too-many-streams", "Too many requests", "Your tenant already follows "
                    + config.maxStreamsPerTenant() + " event streams here; close one or poll the events instead.")
                    .withHeader("Retry-After", "5");
        }
        // A client slower than its job's events gets a bounded buffer; past it the stream ends and the client
        // resumes from its Last-Event-ID, instead of this process holding events without limit.
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
            Stream stream = new Stream(start, emitter, sse);
            byJob.computeIfAbsent(start.jobId(), id -> ConcurrentHashMap.newKeySet()).add(stream);
            emitter.onTermination(() -> remove(stream));
            request(stream);
        }, BackPressureStrategy.ERROR).onOverflow().buffer(config.streamBuffer())
                .onTermination().invoke(open::decrementAndGet);
    }

    /** Ends the streams of a caller whose rights changed; their clients reconnect and are checked again. */
    void accessRevoked(@Observes AccessRevoked revoked) {
        for (Set<Stream> streams : byJob.values()) {
            for (Stream stream : streams) {
                if (revoked.concerns(stream.start.tenantId(), stream.start.actor().reference())) {
                    stream.complete();
                }
            }
        }
    }

    /** Streams open on this instance for {@code tenantId}. */
    int openStreams(String tenantId) {
        AtomicInteger open = openPerTenant.get(tenantId);
        return open == null ? 0 : open.get();
    }

    /** The job has new events (a notification). */
    void jobChanged(String jobId) {
        Set<Stream> streams = byJob.get(jobId);
        if (streams != null) {
            streams.forEach(this::request);
        }
    }

    /** Notifications may have been missed: every stream reads again. */
    void refreshAll() {
        byJob.values().forEach(streams -> streams.forEach(this::request));
    }

    private void keepAlive() {
        for (Set<Stream> streams : byJob.values()) {
            for (Stream stream : streams) {
                stream.emit(stream.sse.newEventBuilder().comment("keep-alive").build());
                request(stream);
            }
        }
    }

    private void remove(Stream stream) {
        stream.closed = true;
        byJob.computeIfPresent(stream.start.jobId(), (id, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /** One read at a time per stream; a request during a read makes it read once more. */
    private void request(Stream stream) {
        stream.dirty.set(true);
        if (!stream.closed && stream.reading.compareAndSet(false, true)) {
            try {
                readers.execute(() -> drain(stream));
            } catch (RuntimeException e) {
                stream.reading.set(false);
                stream.fail(e);
            }
        }
    }

    private void drain(Stream stream) {
        try {
            while (!stream.closed && stream.dirty.getAndSet(false)) {
                readOnce(stream);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not read the events of job %s for a stream", stream.start.jobId());
            stream.fail(e);
        } finally {
            stream.reading.set(false);
        }
        if (stream.dirty.get() && !stream.closed) {
            request(stream);
        }
    }

    private void readOnce(Stream stream) {
        Start start = stream.start;
        Batch batch = tenantScope.call(start.tenantId(), start.actor(), () -> QuarkusTransaction.requiringNew()
                .call(() -> {
                    Optional<Job> job = jobs.findJob(start.jobId());
                    List<Item> items = events.after(start.jobId(), stream.lastSeq, BATCH).stream()
                            .map(e -> new Item(e.seq, JobEventView.of(e))).toList();
                    return new Batch(job.map(j -> j.state), job.map(j -> j.eventSeq).orElse(0L), items);
                }));
        for (Item item : batch.items()) {
            stream.emit(stream.sse.newEventBuilder().id(item.view().id()).data(write(item.view())).build());
            stream.lastSeq = item.seq();
        }
        if (batch.items().size() == BATCH) {
            stream.dirty.set(true);
        } else if (batch.state().isEmpty()
                || batch.state().get().isFinished() && stream.lastSeq >= batch.lastSeq()) {
            stream.complete();
        }
    }

    private String write(JobEventView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private final class Stream {
        final Start start;
        final MultiEmitter<? super OutboundSseEvent> emitter;
        final Sse sse;
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean reading = new AtomicBoolean();
        volatile long lastSeq;
        volatile boolean closed;

        Stream(Start start, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
            this.start = start;
            this.emitter = emitter;
            this.sse = sse;
            this.lastSeq = start.afterSeq();
        }

        synchronized void emit(OutboundSseEvent event) {
            if (!closed && !emitter.isCancelled()) {
                emitter.emit(event);
            }
        }

        synchronized void complete() {
            if (!closed) {
                closed = true;
                emitter.complete();
            }
        }

        synchronized void fail(Throwable e) {
            if (!closed) {
                closed = true;
                emitter.fail(e);
            }
        }
    }
}

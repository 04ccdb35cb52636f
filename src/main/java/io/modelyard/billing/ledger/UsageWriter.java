package io.modelyard.billing.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelyard.billing.BillingConfig;
import io.modelyard.common.TypedId;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Appends usage to the ledger in batches. Writer threads take whatever is queued and append it in one
 * autocommitted statement ({@link UsageBatch}); each thread has its own connection and its own stream, whose
 * transactions therefore commit in sequence order — which is what lets the aggregator find everything new by
 * a watermark. Nothing here locks or updates a row another writer touches: appends of one tenant from many
 * processes never wait on each other.
 *
 * <p>Durability ({@code modelyard.billing.durability}): in {@code durable} mode a batch commits as soon as a
 * thread is free (group commit under load) and the caller answers once its future completes. In
 * {@code buffered} mode callers do not wait; a thread lingers up to half the buffered window to gather a larger
 * batch, so usage reaches the ledger within the window, and shutdown writes everything queued before the
 * process exits. A hard crash loses what was queued.
 *
 * <p>Failures: a batch that fails is retried on a fresh connection, on the same stream with the same seqs, so
 * that if the first commit went through after all (its outcome was lost with the connection), whichever lands
 * second adds nothing (seqs are unique in a stream). Usage that cannot be written within {@code writer-timeout}
 * is given up:
 * durable requests answer 503 unbilled; in buffered mode it is counted in
 * {@code modelyard_usage_events_lost_total} and logged.
 */
@ApplicationScoped
public class UsageWriter {

    private static final Logger LOG = Logger.getLogger(UsageWriter.class);
    private static final long STREAM_TOUCH_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final AgroalDataSource dataSource;
    private final BillingConfig config;
    private final ObjectMapper json;
    // Submitting never takes a lock; a writer is woken only when one is idle (durable mode), so under load a
    // request costs no thread wake-up: busy writers find the next batch queued when their commit ends.
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<Thread> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final Counter eventsWritten;
    private final Counter eventsLost;
    private final DistributionSummary batchSizes;
    private final Timer batchTimes;
    private final Timer appendWaits;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    UsageWriter(AgroalDataSource dataSource, BillingConfig config, ObjectMapper json, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.json = json;
        this.eventsWritten = Counter.builder("modelyard.usage.events.written")
                .description("Usage events appended to the ledger by the writers").register(registry);
        this.eventsLost = Counter.builder("modelyard.usage.events.lost")
                .description("Usage events given up unwritten (database unavailable beyond writer-timeout)")
                .register(registry);
        this.batchSizes = DistributionSummary.builder("modelyard.usage.batch.size")
                .description("Usage events per ledger transaction").register(registry);
        this.batchTimes = Timer.builder("modelyard.usage.batch.duration")
                .description("Time of one ledger append, commit included").register(registry);
        this.appendWaits = Timer.builder("modelyard.usage.append.wait")
                .description("From a request's usage queued to its batch committed: what a durable answer waits for")
                .register(registry);
    }

    /** Queues usage; the future completes once its batch committed (or failed). */
    public CompletableFuture<Append.Result> submit(Append append) {
        if (threads.isEmpty() || stopping) {
            ensureRunning();
        }
        submitted.incrementAndGet();
        queue.add(new Queued(append, System.nanoTime()));
        if (!buffered()) {
            Thread sleeper = idle.poll();
            if (sleeper != null) {
                LockSupport.unpark(sleeper);
            }
        }
        return append.result();
    }

    /**
     * Whether usage queued longest has waited past the buffered window: the writers are not keeping up (the
     * database is slow or starved of CPU). Buffered requests then wait for their commit as durable ones do, so that
     * what a crash can lose stays about one window and the queue cannot grow without bound.
     */
    public boolean behind() {
        Queued oldest = queue.peek();
        return oldest != null && System.nanoTime() - oldest.since() > config.bufferedWindow().toNanos();
    }

    private boolean buffered() {
        return config.durability() == BillingConfig.Durability.BUFFERED;
    }

    /** Waits until everything submitted before this call has been written or given up. */
    void drain() {
        long target = submitted.get();
        long deadline = System.nanoTime() + config.writerTimeout().toNanos() * 2;
        idle.forEach(LockSupport::unpark);
        while (finished.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warnf("The ledger writers did not catch up within %s", config.writerTimeout().multipliedBy(2));
                return;
            }
            sleep(2);
        }
    }

    /** Writes everything queued before the process exits (a SIGTERM never loses buffered usage). */
    void stop(@Observes @Priority(10) ShutdownEvent event) {
        drain();
        List<Thread> writers;
        synchronized (this) {
            stopping = true;
            writers = List.copyOf(threads);
        }
        for (Thread writer : writers) {
            try {
                writer.join(config.writerTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Queued(Append append, long since) {
    }

    private synchronized void ensureRunning() {
        if (threads.isEmpty() || stopping) {
            if (stopping) {
                // A request finishing during shutdown: write it on a thread of its own.
                threads.removeIf(t -> !t.isAlive());
                stopping = false;
            }
            for (int i = threads.size(); i < Math.max(1, config.writerThreads()); i++) {
                Thread thread = new Thread(new Writer(), "usage-writer-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }
    }

    private void finished(List<Queued> batch) {
        finished.addAndGet(batch.size());
    }

    /** One writer thread: its connection and its stream. */
    private final class Writer implements Runnable {

        private final HeldConnection connection = new HeldConnection(dataSource);
        private final String stream = TypedId.generate("str");
        private long nextSeq = 1;
        private boolean registered;
        private long touchedAt;

        @Override
        public void run() {
            // buffered: wake every half window and take everything queued (usage then waits at most the window,
            // commit included); durable: sleep until a submission wakes an idle writer
            long nap = buffered() ? Math.max(1_000_000L, config.bufferedWindow().toNanos() / 2) : 200_000_000L;
            List<Queued> batch = new ArrayList<>();
            while (true) {
                int events = 0;
                for (Queued next; events < config.writerMaxBatch() && (next = queue.poll()) != null; ) {
                    batch.add(next);
                    events += next.append().entries().size();
                }
                if (batch.isEmpty()) {
                    if (stopping) {
                        connection.close();
                        return;
                    }
                    Thread self = Thread.currentThread();
                    idle.push(self);
                    if (queue.isEmpty()) {
                        LockSupport.parkNanos(this, nap);
                    }
                    idle.remove(self);
                    continue;
                }
                try {
                    write(batch);
                } catch (RuntimeException | Error e) {
                    // Never leave a request waiting on a writer that is gone: fail the batch, keep the thread.
                    LOG.errorf(e, "A ledger batch of %d appends failed unexpectedly", batch.size());
                    eventsLost.increment(batch.stream().mapToInt(q -> q.append().entries().size()).sum());
                    batch.forEach(q -> q.append().result().completeExceptionally(e));
                    connection.discard();
                    registered = false;
                }
                finished(batch);
                batch.clear();
                if (buffered() && queue.isEmpty() && !stopping) {
                    LockSupport.parkNanos(this, nap);
                }
            }
        }

        private void write(List<Queued> queued) {
            List<Append> appends = new ArrayList<>(queued.size());
            long timeout = config.writerTimeout().toNanos();
            long oldest = Long.MAX_VALUE;
            for (Queued q : queued) {
                appends.add(q.append());
                oldest = Math.min(oldest, q.since());
            }
            UsageBatch batch = new UsageBatch(appends, json.getFactory());
            if (batch.events() == 0) {
                appends.forEach(a -> a.result().complete(Append.Result.WRITTEN));
                return;
            }
            SQLException failure = null;
            long firstSeq = nextSeq;
            nextSeq += batch.events();
            for (int attempt = 1; System.nanoTime() - oldest < timeout; attempt++) {
                long started = System.nanoTime();
                try {
                    register();
                    Set<Append> lost = batch.run(connection.get(), stream, firstSeq,
                            (int) Math.max(1, config.writerTimeout().toSeconds()));
                    batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    batchSizes.record(batch.events());
                    eventsWritten.increment(batch.events());
                    long committed = System.nanoTime();
                    for (Queued q : queued) {
                        appendWaits.record(committed - q.since(), TimeUnit.NANOSECONDS);
                        q.append().result().complete(lost.contains(q.append()) ? Append.Result.LEASE_LOST
                                : Append.Result.WRITTEN);
                    }
                    if (!lost.isEmpty()) {
                        LOG.warnf("%d usage appends were admitted under leases reclaimed meanwhile; not written",
                                lost.size());
                    }
                    return;
                } catch (SQLException | RuntimeException e) {
                    failure = e instanceof SQLException s ? s : new SQLException(e);
                    LOG.warnf("A ledger append of %d events failed (attempt %d): %s", batch.events(), attempt,
                            e.getMessage());
                    connection.discard();
                    registered = false;
                    sleep(Math.min(1000, 50L * attempt));
                }
            }
            eventsLost.increment(batch.events());
            LOG.errorf(failure, "Gave up %d usage events after %s without the database", batch.events(),
                    config.writerTimeout());
            IllegalStateException given = new IllegalStateException("Usage could not be written", failure);
            appends.forEach(a -> a.result().completeExceptionally(given));
        }

        /** Registers this thread's stream for the aggregator (again now and then, so that it is not forgotten). */
        private void register() throws SQLException {
            long now = System.nanoTime();
            if (!registered || now - touchedAt > STREAM_TOUCH_NANOS) {
                try (PreparedStatement statement = connection.get().prepareStatement("insert into usage_streams"
                        + " (id) values (?) on conflict (id) do update set seen_at = now()")) {
                    statement.setString(1, stream);
                    statement.executeUpdate();
                }
                registered = true;
                touchedAt = now;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

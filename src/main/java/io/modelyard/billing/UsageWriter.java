package io.modelyard.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit for metering: a writer thread takes every charge waiting in the queue, and one statement on its
 * own connection admits them one after the other against the locked per-period counters and commits them
 * together ({@link UsageBatch}, {@code usage_admit}). A request is released only once its batch has committed,
 * so what it was told (served, or refused by a quota) is what the ledger holds. Under load a batch carries many
 * requests and the commit is shared; when idle a batch carries one and commits at once.
 *
 * <p>Two writers (by default) pipeline: while one batch commits, the next is already in the database waiting for
 * the counter rows' locks, so the commit cycle has no idle gap. Admission stays exact: every batch locks the
 * rows it checks.
 *
 * <p>Failures: a batch that fails is retried charge by charge, each with a duplicate check, so that a commit
 * whose outcome was lost is neither billed twice nor refused by its own usage. A charge that waited in the
 * queue longer than {@code writer-timeout} is failed unwritten (its request answers 503, unbilled).
 */
@ApplicationScoped
class UsageWriter {

    private static final Logger LOG = Logger.getLogger(UsageWriter.class);

    private final AgroalDataSource dataSource;
    private final BillingConfig config;
    private final RefusalAudits refusalAudits;
    private final ExhaustedQuotas exhausted;
    private final ObjectMapper json;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Counter eventsWritten;
    private final DistributionSummary batchSizes;
    private final Timer batchTimes;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    UsageWriter(AgroalDataSource dataSource, BillingConfig config, RefusalAudits refusalAudits,
            ExhaustedQuotas exhausted, ObjectMapper json, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.refusalAudits = refusalAudits;
        this.exhausted = exhausted;
        this.json = json;
        this.eventsWritten = Counter.builder("modelyard.usage.events.submitted")
                .description("Usage events admitted by the metering writer (replays included)").register(registry);
        this.batchSizes = DistributionSummary.builder("modelyard.usage.batch.size")
                .description("Charges per metering transaction").register(registry);
        this.batchTimes = Timer.builder("modelyard.usage.batch.duration")
                .description("Time of one metering statement, commit included").register(registry);
    }

    /** Queues a charge; the future completes once its batch has committed, or failed. */
    CompletableFuture<Charge.Outcome> submit(Charge charge) {
        ensureRunning();
        queue.add(new Queued(charge, System.nanoTime()));
        return charge.result();
    }

    private record Queued(Charge charge, long since) {
    }

    private synchronized void ensureRunning() {
        if (threads.isEmpty()) {
            running = true;
            for (int i = 0; i < Math.max(1, config.writerThreads()); i++) {
                Thread thread = new Thread(new Writer(), "usage-writer-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        List<Thread> writers;
        synchronized (this) {
            running = false;
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

    /** One writer thread and its connection. */
    private final class Writer implements Runnable {

        private Connection connection;

        @Override
        public void run() {
            List<Queued> taken = new ArrayList<>();
            List<Charge> batch = new ArrayList<>();
            long timeout = config.writerTimeout().toNanos();
            while (true) {
                Queued first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    first = null;
                }
                if (first == null) {
                    if (!running && queue.isEmpty()) {
                        discardConnection();
                        return;
                    }
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, Math.max(0, config.writerMaxBatch() - 1));
                long now = System.nanoTime();
                for (Queued queued : taken) {
                    if (now - queued.since() > timeout) {
                        // Waited too long (the database is down or drowning): answered 503, never written.
                        queued.charge().result().completeExceptionally(
                                new IllegalStateException("Metering is backed up; the charge was not written"));
                    } else if (!queued.charge().result().isDone()) {
                        batch.add(queued.charge());
                    }
                }
                if (!batch.isEmpty()) {
                    process(batch);
                }
                taken.clear();
                batch.clear();
            }
        }

        private void process(List<Charge> batch) {
            try {
                complete(batch, commitWithRetries(batch));
            } catch (SQLException | RuntimeException e) {
                if (batch.size() == 1) {
                    retryAlone(batch.get(0), e);
                    return;
                }
                LOG.warnf(e, "A metering batch of %d failed; committing its charges one by one", batch.size());
                for (Charge charge : batch) {
                    List<Charge> single = List.of(charge.withDuplicateCheck());
                    try {
                        complete(single, commitWithRetries(single));
                    } catch (SQLException | RuntimeException again) {
                        retryAlone(single.get(0), again);
                    }
                }
            }
        }

        /** The commit's outcome may have been lost with the connection: retry once, looking for our writes. */
        private void retryAlone(Charge charge, Exception failure) {
            List<Charge> single = List.of(charge.withDuplicateCheck());
            try {
                complete(single, commitWithRetries(single));
            } catch (SQLException | RuntimeException e) {
                LOG.errorf(e, "Could not meter a charge for tenant %s (first failure: %s)", charge.tenantId(),
                        failure);
                charge.result().completeExceptionally(e);
            }
        }

        private List<Charge.Outcome> commitWithRetries(List<Charge> batch) throws SQLException {
            for (int attempt = 1;; attempt++) {
                try {
                    return commit(batch);
                } catch (SQLException e) {
                    // Serialization failures and deadlocks are the database asking us to try again.
                    boolean transientFailure = "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                    if (!transientFailure || attempt >= 3) {
                        throw e;
                    }
                }
            }
        }

        private List<Charge.Outcome> commit(List<Charge> batch) throws SQLException {
            long started = System.nanoTime();
            try {
                return new UsageBatch(batch, config.quotasEnabled(), refusalAudits, json,
                        (int) Math.max(1, config.writerTimeout().toSeconds())).run(connection());
            } catch (SQLException | RuntimeException e) {
                discardConnection();
                throw e;
            } finally {
                batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }

        /** No pool checkout (and no tenant keying) per batch: the function sets operator mode itself. */
        private Connection connection() throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
            }
            return connection;
        }

        private void discardConnection() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // broken already
                }
                connection = null;
            }
        }
    }

    private void complete(List<Charge> batch, List<Charge.Outcome> outcomes) {
        batchSizes.record(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Charge charge = batch.get(i);
            Charge.Outcome outcome = outcomes.get(i);
            if (outcome.accepted()) {
                eventsWritten.increment(charge.usages().size());
            } else {
                exhausted.remember(outcome.refusal());
            }
            charge.result().complete(outcome);
        }
    }
}

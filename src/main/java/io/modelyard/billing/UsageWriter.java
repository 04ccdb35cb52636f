package io.modelyard.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Group commit for metering: one thread takes every charge waiting in the queue, admits them one after the
 * other against the locked per-period counters and commits them in a single transaction ({@link UsageBatch}).
 * A request is released only once its batch has committed, so what it was told (served, or refused by a quota)
 * is what the ledger holds. Under load a batch carries many requests, so the cost of a commit is shared instead
 * of paid per request; when idle a batch carries one and commits at once.
 *
 * <p>Failures: a batch that fails is retried charge by charge, each with a duplicate check, so that a commit
 * whose outcome was lost is neither billed twice nor refused by its own usage.
 */
@ApplicationScoped
class UsageWriter {

    private static final Logger LOG = Logger.getLogger(UsageWriter.class);

    private final AgroalDataSource dataSource;
    private final BillingConfig config;
    private final RefusalAudits refusalAudits;
    private final ExhaustedQuotas exhausted;
    private final ObjectMapper json;
    private final LinkedBlockingQueue<Charge> queue = new LinkedBlockingQueue<>();
    private final Counter eventsWritten;
    private final DistributionSummary batchSizes;
    private volatile boolean running;
    private Thread thread;

    UsageWriter(AgroalDataSource dataSource, BillingConfig config, RefusalAudits refusalAudits,
            ExhaustedQuotas exhausted, ObjectMapper json, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.refusalAudits = refusalAudits;
        this.exhausted = exhausted;
        this.json = json;
        this.eventsWritten = Counter.builder("modelyard.usage.events.written")
                .description("Usage events committed by the metering writer").register(registry);
        this.batchSizes = DistributionSummary.builder("modelyard.usage.batch.size")
                .description("Charges per metering transaction").register(registry);
    }

    /** Queues a charge; the future completes once its batch has committed (or failed). */
    CompletableFuture<Charge.Outcome> submit(Charge charge) {
        ensureRunning();
        queue.add(charge);
        return charge.result();
    }

    private synchronized void ensureRunning() {
        if (thread == null) {
            running = true;
            thread = new Thread(this::loop, "usage-writer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        Thread writer;
        synchronized (this) {
            running = false;
            writer = thread;
        }
        if (writer != null) {
            try {
                writer.join(config.writerTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        List<Charge> batch = new ArrayList<>();
        while (true) {
            Charge first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (!running) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, Math.max(0, config.writerMaxBatch() - 1));
            // Callers that gave up waiting were answered 503: they must not be billed.
            batch.removeIf(charge -> charge.result().isDone());
            if (!batch.isEmpty()) {
                process(batch);
            }
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

    /** The commit's outcome may have been lost with the connection: retry once, looking for our own writes. */
    private void retryAlone(Charge charge, Exception failure) {
        List<Charge> single = List.of(charge.withDuplicateCheck());
        try {
            complete(single, commitWithRetries(single));
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "Could not meter a charge for tenant %s (first failure: %s)", charge.tenantId(), failure);
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Charge.Outcome> outcomes = new UsageBatch(connection, batch, config.quotasEnabled(),
                        refusalAudits, json).run();
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
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

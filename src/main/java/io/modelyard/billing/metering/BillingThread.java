package io.modelyard.billing.metering;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.ledger.HeldConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread, and the one connection, that billing's short background statements share: taking and
 * returning quota leases and taking rate-limit tokens. Each is a single autocommitted round trip, so one thread
 * keeps up, and a process holds one connection for them rather than one per feature.
 */
@ApplicationScoped
class BillingThread {

    private final HeldConnection connection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "billing-io");
        t.setDaemon(true);
        return t;
    });

    BillingThread(AgroalDataSource dataSource) {
        this.connection = new HeldConnection(dataSource);
    }

    /** The connection: use it on this thread only. */
    HeldConnection connection() {
        return connection;
    }

    void execute(Runnable work) {
        thread.execute(work);
    }

    void every(long millis, Runnable work) {
        thread.scheduleWithFixedDelay(work, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** After the leases went back (their observer runs first). */
    void stop(@Observes @Priority(30) ShutdownEvent event) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}

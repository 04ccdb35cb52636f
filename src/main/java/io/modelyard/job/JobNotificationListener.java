package io.modelyard.job;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One connection per process that listens for {@link JobSignals}: a queued job wakes idle worker threads at
 * once, a cancellation reaches the handler running the job, new events reach the clients streaming them. After
 * a lost connection everyone is woken, since notifications may have been missed meanwhile.
 */
@ApplicationScoped
class JobNotificationListener {

    private static final Logger LOG = Logger.getLogger(JobNotificationListener.class);

    private final AgroalDataSource dataSource;
    private final PlatformConfig platform;
    private final JobWorker worker;
    private final JobEventStreams streams;
    private volatile boolean running;
    private Thread listener;

    JobNotificationListener(AgroalDataSource dataSource, PlatformConfig platform, JobWorker worker,
            JobEventStreams streams) {
        this.dataSource = dataSource;
        this.platform = platform;
        this.worker = worker;
        this.streams = streams;
    }

    void start(@Observes StartupEvent event) {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "job-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + JobSignals.QUEUE_CHANNEL);
                    statement.execute("listen " + JobSignals.EVENTS_CHANNEL);
                }
                everythingMayHaveChanged();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(2_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            dispatch(notification.getName(), notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("Lost the job notification listener; reconnecting", e);
                    sleepQuietly();
                }
            }
        }
    }

    private void dispatch(String channel, String payload) {
        try {
            if (JobSignals.EVENTS_CHANNEL.equals(channel)) {
                streams.jobChanged(payload);
            } else if (payload.startsWith("queued:")) {
                worker.wake(payload.substring("queued:".length()));
            } else if (payload.startsWith("cancel:")) {
                worker.cancelRequested(payload.substring("cancel:".length()));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not act on job notification %s %s", channel, payload);
        }
    }

    private void everythingMayHaveChanged() {
        worker.wake(null);
        streams.refreshAll();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

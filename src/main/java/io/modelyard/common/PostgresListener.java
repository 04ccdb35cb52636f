package io.modelyard.common;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A daemon thread that holds one connection in {@code LISTEN} on some PostgreSQL channels and hands every
 * notification to {@link Handler#notified}. On every (re)connect it calls {@link Handler#connected}: whatever
 * the caller remembered may have missed a notification while no one was listening, so it must forget or re-check
 * it there. A lost connection is retried every second until {@link #stop}. Shared by the caches that other
 * instances invalidate (API keys, plans) and by the job queue's wake-ups.
 */
public final class PostgresListener {

    private static final Logger LOG = Logger.getLogger(PostgresListener.class);

    /** What to do with notifications. */
    public interface Handler {

        /** Listening (again): anything learned before may be stale. */
        void connected();

        void notified(String channel, String payload);

        /** The connection is gone: until {@link #connected} again, changes go unheard. */
        default void lost() {
        }
    }

    private final AgroalDataSource dataSource;
    private final String name;
    private final List<String> channels;
    private final int pollMillis;
    private final Handler handler;
    private volatile boolean running;
    private Thread thread;

    public PostgresListener(AgroalDataSource dataSource, String name, List<String> channels, int pollMillis,
            Handler handler) {
        this.dataSource = dataSource;
        this.name = name;
        this.channels = List.copyOf(channels);
        this.pollMillis = pollMillis;
        this.handler = handler;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::listen, name);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    for (String channel : channels) {
                        statement.execute("listen " + channel);
                    }
                }
                handler.connected();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(pollMillis);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf(e, "Lost the %s listener; reconnecting", name);
                    handler.lost();
                    sleepQuietly();
                }
            }
        }
    }

    private void deliver(PGNotification notification) {
        try {
            handler.notified(notification.getName(), notification.getParameter());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not act on notification %s %s", notification.getName(), notification.getParameter());
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

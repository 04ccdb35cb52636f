package io.modelyard.billing.ledger;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One connection kept by one background thread of billing (a ledger writer, the lease and rate-limit client),
 * in autocommit mode: no pool checkout and tenant keying per statement. The SQL functions it calls switch to
 * operator mode for their own transaction only. Not thread-safe: one owner thread.
 */
public final class HeldConnection implements AutoCloseable {

    private final AgroalDataSource dataSource;
    private Connection connection;

    public HeldConnection(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The connection, opened when there is none (or the last one broke). */
    public Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Whether the next {@link #get} opens a new connection. */
    public boolean isOpen() {
        return connection != null;
    }

    /** After a failure: the connection's state is unknown, so the next use starts afresh. */
    public void discard() {
        close();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // broken already (the pool's return hooks may fail on it too); the pool discards it
            }
            connection = null;
        }
    }
}

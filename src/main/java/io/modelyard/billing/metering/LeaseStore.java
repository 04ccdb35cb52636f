package io.modelyard.billing.metering;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.ledger.HeldConnection;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The quota-lease functions of V50, each one autocommitted statement on the billing thread's connection: the
 * transaction that locks a quota counter is as short as one round trip. Use it on that thread only.
 */
final class LeaseStore {

    /**
     * What the counter granted.
     *
     * @param leaseId null when the lease to extend is gone (reclaimed)
     * @param granted what was added to the lease; 0 with {@code need > 0}: refused
     * @param hard    false: the meter has no hard quota (nothing to lease)
     * @param taken   what the quota holds now, this grant included
     */
    record Grant(String leaseId, BigDecimal granted, boolean hard, BigDecimal limit, BigDecimal taken) {
    }

    private final HeldConnection connection;

    LeaseStore(HeldConnection connection) {
        this.connection = connection;
    }

    Grant take(String leaseId, boolean fresh, String tenantId, Meter meter, Period period, String owner,
            BigDecimal need, BigDecimal want, long ttlMillis) throws SQLException {
        try {
            try (PreparedStatement statement = connection.get().prepareStatement("select lease_id, granted, quota,"
                    + " quota_limit, taken from quota_lease_take(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, leaseId);
                statement.setBoolean(2, fresh);
                statement.setString(3, tenantId);
                statement.setString(4, meter.wireName());
                statement.setObject(5, period.startDate());
                statement.setString(6, owner);
                statement.setBigDecimal(7, need);
                statement.setBigDecimal(8, want);
                statement.setInt(9, (int) Math.min(Integer.MAX_VALUE, ttlMillis));
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new Grant(row.getString(1), row.getBigDecimal(2), "hard".equals(row.getString(3)),
                            row.getBigDecimal(4), row.getBigDecimal(5));
                }
            }
        } catch (SQLException e) {
            connection.discard();
            throw e;
        }
    }

    /** Closes leases, each giving back what it was granted beyond {@code consumed}. */
    void giveBack(List<String> leaseIds, List<BigDecimal> consumed) throws SQLException {
        if (leaseIds.isEmpty()) {
            return;
        }
        try {
            Connection c = connection.get();
            try (PreparedStatement statement = c.prepareStatement("select quota_lease_return(?, ?)")) {
                statement.setArray(1, c.createArrayOf("text", leaseIds.toArray()));
                statement.setArray(2, c.createArrayOf("numeric", consumed.toArray()));
                statement.execute();
            }
        } catch (SQLException e) {
            connection.discard();
            throw e;
        }
    }

    /** Extends open leases; returns the ids still open (the others were reclaimed). */
    Set<String> renew(List<String> leaseIds, long ttlMillis) throws SQLException {
        Set<String> open = new HashSet<>();
        if (leaseIds.isEmpty()) {
            return open;
        }
        try {
            Connection c = connection.get();
            try (PreparedStatement statement = c.prepareStatement("select quota_lease_renew(?, ?)")) {
                statement.setArray(1, c.createArrayOf("text", leaseIds.toArray()));
                statement.setInt(2, (int) Math.min(Integer.MAX_VALUE, ttlMillis));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        open.add(rows.getString(1));
                    }
                }
            }
            return open;
        } catch (SQLException e) {
            connection.discard();
            throw e;
        }
    }

    /** Reclaims leases expired beyond the grace (their processes died); returns how many. */
    static int reclaim(AgroalDataSource dataSource, long graceMillis) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement("select quota_lease_reclaim(?, 1000)")) {
            statement.setInt(1, (int) Math.min(Integer.MAX_VALUE, graceMillis));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reclaim expired quota leases", e);
        }
    }
}

package io.modelyard.billing.ledger;

import io.agroal.api.AgroalDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the database itself holds, read as the schema owner (past row-level security): the ground truth. */
public final class Ledger {

    private final AgroalDataSource schemaOwner;

    public Ledger(AgroalDataSource schemaOwner) {
        this.schemaOwner = schemaOwner;
    }

    public long events(String tenantId, String meter) {
        return number("select count(*) from usage_events where tenant_id = ? and meter = ?", tenantId, meter)
                .longValueExact();
    }

    /** Events of one meter caused by API keys (a person's requests count too, but are not these). */
    public long keyEvents(String tenantId, String meter) {
        return number("select count(*) from usage_events where tenant_id = ? and meter = ? and source like 'key:%'",
                tenantId, meter).longValueExact();
    }

    public BigDecimal quantity(String tenantId, String meter) {
        return number("select coalesce(sum(quantity), 0) from usage_events where tenant_id = ? and meter = ?",
                tenantId, meter);
    }

    public BigDecimal used(String tenantId, String meter) {
        return number("select coalesce(sum(used), 0) from usage_counters where tenant_id = ? and meter = ?",
                tenantId, meter);
    }

    /** What the quota holds beyond the aggregated ledger: reservations, and leases' unconsumed allowance. */
    public BigDecimal reserved(String tenantId, String meter) {
        return number("select coalesce(sum(q.reserved + greatest(q.admitted - coalesce(u.used, 0), 0)), 0)"
                + " from quota_counters q left join usage_counters u on u.tenant_id = q.tenant_id"
                + " and u.meter = q.meter and u.period_start = q.period_start"
                + " where q.tenant_id = ? and q.meter = ?", tenantId, meter);
    }

    public long hourlyEvents(String tenantId, String meter) {
        return number("select coalesce(sum(events), 0) from usage_hourly where tenant_id = ? and meter = ?",
                tenantId, meter).longValueExact();
    }

    public long dailyEvents(String tenantId, String meter) {
        return number("select coalesce(sum(events), 0) from usage_daily where tenant_id = ? and meter = ?",
                tenantId, meter).longValueExact();
    }

    public long apiKeys(String tenantId) {
        return number("select count(*) from api_keys where tenant_id = ?", tenantId).longValueExact();
    }

    public long audits(String tenantId, String action) {
        return number("select count(*) from audit_events where tenant_id = ? and action = ?", tenantId, action)
                .longValueExact();
    }

    /** A detail of the tenant's latest audit record of {@code action}, as text. */
    public String auditDetail(String tenantId, String action, String field) {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement("select details ->> ? from audit_events"
                        + " where tenant_id = ? and action = ? order by id desc limit 1")) {
            statement.setString(1, field);
            statement.setString(2, tenantId);
            statement.setString(3, action);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long reservations(String tenantId) {
        return number("select count(*) from usage_reservations where tenant_id = ?", tenantId).longValueExact();
    }

    public BigDecimal number(String sql, String... parameters) {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

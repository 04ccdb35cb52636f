package io.modelyard.billing;

import io.agroal.api.AgroalDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the database itself holds, read as the schema owner (past row-level security): the ground truth. */
final class Ledger {

    private final AgroalDataSource schemaOwner;

    Ledger(AgroalDataSource schemaOwner) {
        this.schemaOwner = schemaOwner;
    }

    long events(String tenantId, String meter) {
        return number("select count(*) from usage_events where tenant_id = ? and meter = ?", tenantId, meter)
                .longValueExact();
    }

    BigDecimal quantity(String tenantId, String meter) {
        return number("select coalesce(sum(quantity), 0) from usage_events where tenant_id = ? and meter = ?",
                tenantId, meter);
    }

    BigDecimal used(String tenantId, String meter) {
        return number("select coalesce(sum(used), 0) from usage_counters where tenant_id = ? and meter = ?",
                tenantId, meter);
    }

    BigDecimal reserved(String tenantId, String meter) {
        return number("select coalesce(sum(reserved), 0) from usage_counters where tenant_id = ? and meter = ?",
                tenantId, meter);
    }

    long reservations(String tenantId) {
        return number("select count(*) from usage_reservations where tenant_id = ?", tenantId).longValueExact();
    }

    BigDecimal number(String sql, String... parameters) {
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

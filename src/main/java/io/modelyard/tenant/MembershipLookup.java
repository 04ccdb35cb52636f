package io.modelyard.tenant;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tenants a person belongs to, before any tenant is known: through a narrow SECURITY DEFINER function,
 * since row-level security hides every membership until a tenant is chosen.
 */
@ApplicationScoped
class MembershipLookup {

    private final AgroalDataSource dataSource;

    MembershipLookup(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param verifiedEmail binds pending invitations to this person when the identity provider verified it
     */
    List<Membership> membershipsOf(String subject, String verifiedEmail, String displayName) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select tenant_id, tenant_name, tenant_status, tenant_plan, member_id, role,"
                                + " tenant_created_at, tenant_updated_at"
                                + " from auth_memberships(?, ?, ?)")) {
            statement.setString(1, subject);
            statement.setString(2, verifiedEmail);
            statement.setString(3, displayName);
            List<Membership> memberships = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    memberships.add(new Membership(rows.getString(1), rows.getString(2),
                            TenantStatus.valueOf(rows.getString(3).toUpperCase(Locale.ROOT)), rows.getString(4),
                            rows.getString(5), MemberRole.valueOf(rows.getString(6).toUpperCase(Locale.ROOT)),
                            rows.getTimestamp(7).toInstant(), rows.getTimestamp(8).toInstant()));
                }
            }
            return memberships;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up memberships", e);
        }
    }
}

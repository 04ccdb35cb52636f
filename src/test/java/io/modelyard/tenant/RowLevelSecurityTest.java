package io.modelyard.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database half of isolation holds even when the application forgets its filter. */
@QuarkusTest
class RowLevelSecurityTest {

    @Inject
    AgroalDataSource application;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    EntityManager entityManager;

    @Inject
    TenantScope tenantScope;

    @Test
    void rawSqlWithNoTenantSetReturnsNoRows() throws SQLException {
        TestTenant tenant = TestTenant.signUp("Hidden");
        tenant.apiKey("read");
        for (String table : List.of("tenants", "members", "api_keys", "audit_events")) {
            assertTrue(count(schemaOwner, table) > 0, table + " has rows");
            assertEquals(0, count(application, table), "the application sees no " + table + " without a tenant");
        }
    }

    @Test
    void aNativeQueryThatForgetsTheTenantFilterSeesOnlyTheCurrentTenant() {
        TestTenant mine = TestTenant.signUp("Mine");
        TestTenant theirs = TestTenant.signUp("Theirs");
        mine.apiKey("read");
        theirs.apiKey("read");
        @SuppressWarnings("unchecked")
        List<String> seen = tenantScope.call(mine.id(), Actor.system("test"), () -> QuarkusTransaction
                .requiringNew().call(() -> (List<String>) entityManager
                        .createNativeQuery("select tenant_id from api_keys union all select tenant_id from members")
                        .getResultList()));
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch(mine.id()::equals), "only " + mine.id() + " rows, saw " + seen);
    }

    @Test
    void theApplicationRoleOwnsNothingAndCannotBypassRowSecurity() throws SQLException {
        try (Connection connection = application.getConnection(); Statement sql = connection.createStatement()) {
            ResultSet role = sql.executeQuery(
                    "select rolsuper, rolbypassrls from pg_roles where rolname = current_user");
            role.next();
            assertFalse(role.getBoolean(1), "not a superuser");
            assertFalse(role.getBoolean(2), "no BYPASSRLS");
            ResultSet owned = sql.executeQuery(
                    "select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user");
            owned.next();
            assertEquals(0, owned.getInt(1), "owns no table");
        }
    }

    @Test
    void everyTableWithATenantColumnForcesRowLevelSecurity() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        List<String> protectedTables = new ArrayList<>();
        try (Connection connection = schemaOwner.getConnection(); Statement sql = connection.createStatement()) {
            ResultSet tables = sql.executeQuery("""
                    select c.relname, c.relrowsecurity and c.relforcerowsecurity
                      from pg_class c join pg_namespace n on n.oid = c.relnamespace
                     where n.nspname = 'public' and c.relkind = 'r'
                       and exists (select 1 from pg_attribute a where a.attrelid = c.oid
                                     and a.attname = 'tenant_id' and not a.attisdropped)""");
            while (tables.next()) {
                (tables.getBoolean(2) ? protectedTables : unprotected).add(tables.getString(1));
            }
        }
        assertTrue(protectedTables.containsAll(List.of("members", "api_keys", "audit_events")), protectedTables.toString());
        assertEquals(List.of(), unprotected, "tables with tenant_id but without FORCE ROW LEVEL SECURITY");
    }

    private static int count(AgroalDataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

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

    @Test
    void anInjectedStatementCannotSwitchOperatorModeOn() throws SQLException {
        TestTenant tenant = TestTenant.signUp("Behind the wall");
        tenant.apiKey("read");
        assertTrue(count(schemaOwner, "tenants") > 0);
        // What an injected statement could do in a tenant's session: claim operator mode by itself.
        for (String claim : List.of("on", "x".repeat(43))) {
            try (Connection connection = application.getConnection(); Statement sql = connection.createStatement()) {
                connection.setAutoCommit(false);
                sql.execute("select set_config('modelyard.operator', '" + claim + "', true)");
                for (String table : List.of("tenants", "members", "api_keys", "audit_events", "usage_events")) {
                    try (ResultSet rows = sql.executeQuery("select count(*) from " + table)) {
                        rows.next();
                        assertEquals(0, rows.getInt(1), table + " seen with operator mode claimed as '" + claim + "'");
                    }
                }
                try (ResultSet admitted = sql.executeQuery("select acting_as_operator()")) {
                    admitted.next();
                    assertFalse(admitted.getBoolean(1));
                }
                connection.rollback();
            }
        }
        // ... nor read the register of credentials.
        try (Connection connection = application.getConnection(); Statement sql = connection.createStatement()) {
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> sql.executeQuery("select secret_sha256 from operator_credentials"));
            assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
        }
        // The platform's own operator work is admitted: it sees every tenant.
        long seen = tenantScope.callAsPlatform("test", () -> QuarkusTransaction.requiringNew().call(
                () -> ((Number) entityManager.createNativeQuery("select count(*) from tenants").getSingleResult())
                        .longValue()));
        assertEquals(count(schemaOwner, "tenants"), seen);
    }

    @Test
    void plansAreWrittenOnlyInOperatorMode() throws SQLException {
        try (Connection connection = application.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            sql.execute("select set_config('modelyard.operator', 'on', true)");
            assertEquals(0, sql.executeUpdate("update plans set display_name = 'Free for all' where name = 'free'"));
            assertEquals(0, sql.executeUpdate("update plan_meters set quota_limit = null where plan = 'free'"));
            assertEquals(0, sql.executeUpdate("delete from plan_meters where plan = 'free'"));
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> sql.executeUpdate("insert into plans (name, display_name, max_upload_bytes, storage_cap_bytes,"
                            + " max_concurrent_jobs) values ('mine', 'Mine', 1, 1, 1)"));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            connection.rollback();
        }
        try (Connection connection = schemaOwner.getConnection(); Statement sql = connection.createStatement();
                ResultSet plan = sql.executeQuery("select display_name, (select count(*) from plan_meters"
                        + " where plan = 'free') from plans where name = 'free'")) {
            plan.next();
            assertFalse(plan.getString(1).equals("Free for all"));
            assertTrue(plan.getInt(2) > 0, "the free plan keeps its meters");
        }
    }

    private static int count(AgroalDataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

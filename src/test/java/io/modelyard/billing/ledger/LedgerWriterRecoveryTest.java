package io.modelyard.billing.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The database drops every connection of the application (a restart, a failover): the ledger writers and the
 * request path carry on with new ones. Found by bench/chaos.sh, where a writer died returning its broken
 * connection to the pool and every answer that waited for its usage to commit hung from then on.
 */
@QuarkusTest
class LedgerWriterRecoveryTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    AgroalDataSource application;

    @TestHTTPResource("/v1/ping")
    URI ping;

    @Test
    void meteredRequestsAreAnsweredAndBilledAfterTheDatabaseDroppedEveryConnection() throws Exception {
        TestTenant tenant = TestTenant.signUp("Through a restart");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String key = tenant.apiKey("read");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(200, ping(http, key), "served before");

        int dropped = dropEveryOtherApplicationConnection();
        assertTrue(dropped > 0, "the writers and the pool held connections");

        // Answers that race the broken connections may be refused (503) but none may hang; then service resumes.
        int served = 0;
        for (int i = 0; i < 20; i++) {
            int status = ping(http, key);
            assertTrue(status == 200 || status == 503, "answered " + status);
            served += status == 200 ? 1 : 0;
        }
        assertTrue(served >= 10, "served after the connections dropped: " + served + " of 20");
        Ledger ledger = new Ledger(schemaOwner);
        long billed = 0;
        for (int wait = 0; wait < 100 && billed < served + 1; wait++) {
            billed = ledger.keyEvents(tenant.id(), "api_requests");
            Thread.sleep(100);
        }
        assertEquals(served + 1, billed, "every answered request billed once");
    }

    private int ping(HttpClient http, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * What a database restart does to this process: every session of the application role on this database ends
     * (not other databases': other builds and benchmarks may share the server).
     */
    private int dropEveryOtherApplicationConnection() throws SQLException {
        try (Connection connection = application.getConnection(); Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select count(*) filter (where pg_terminate_backend(pid))"
                        + " from pg_stat_activity where usename = current_user and datname = current_database()"
                        + " and pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

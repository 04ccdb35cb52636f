package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.PlatformProcess;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * The api role runs no migrations at start: it checks the schema version and stays out of rotation while the
 * database is older than its build, then goes ready by itself once the migrate role has run.
 */
class SchemaVersionIT {

    private static final String URL = "jdbc:postgresql://localhost:5432/"
            + System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test");

    @Test
    void theApiRoleStaysUnreadyOnAnOlderSchemaAndGoesReadyOnceMigrated() throws SQLException {
        migrate();
        MigrationVersion built = SchemaVersionHealthCheck.newestPackaged("db/migration");
        String removed = forgetNewestMigration();
        assertEquals(built.getVersion(), removed, "the newest applied migration is this build's newest");

        try (PlatformProcess api = PlatformProcess.start("api", Map.of())) {
            Response ready = awaitListening(api, Duration.ofSeconds(120));
            assertEquals(503, ready.statusCode(), ready.asString());
            assertTrue(ready.asString().contains("\"Database schema\""), ready.asString());
            assertTrue(ready.asString().contains("this build needs " + built.getVersion()), ready.asString());
            // Not ready, but alive: Kubernetes keeps the pod and waits, it does not restart it.
            RestAssured.get(api.url("/q/health/live")).then().statusCode(200);
            sleep(2_000);
            assertEquals(503, RestAssured.get(api.url("/q/health/ready")).statusCode());

            migrate();
            api.awaitReady(Duration.ofSeconds(30));
            RestAssured.get(api.url("/v1/ping")).then().statusCode(200);
            assertFalse(api.output().contains("FlywayExecutor"), "the api role ran Flyway:\n" + api.output());
        } finally {
            migrate(); // whatever happened, later tests find the schema complete
        }
    }

    private static void migrate() {
        PlatformProcess.migrate();
    }

    /** Deletes the newest applied migration's history row, as if the database predated this build. */
    private static String forgetNewestMigration() throws SQLException {
        try (Connection owner = DriverManager.getConnection(URL, "modelyard_owner", "modelyard_owner");
                Statement statement = owner.createStatement();
                ResultSet deleted = statement.executeQuery("delete from flyway_schema_history where installed_rank ="
                        + " (select installed_rank from flyway_schema_history where success and version is not null"
                        + " order by installed_rank desc limit 1) returning version")) {
            assertTrue(deleted.next(), "no applied migration to forget");
            return deleted.getString(1);
        }
    }

    private static Response awaitListening(PlatformProcess api, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            assertTrue(api.isAlive(), api.output());
            try {
                return RestAssured.get(api.url("/q/health/ready"));
            } catch (Exception e) { // RestAssured rethrows ConnectException undeclared: not listening yet
                sleep(250);
            }
        }
        throw new AssertionError("Not listening within " + timeout + ":\n" + api.output());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

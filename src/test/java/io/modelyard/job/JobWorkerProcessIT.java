package io.modelyard.job;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.PlatformProcess;
import io.modelyard.testing.TestTenant;
import io.restassured.RestAssured;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The packaged jar as separate API and worker processes, as deployed: jobs cross between them. */
class JobWorkerProcessIT {

    @Test
    void aWorkerProcessRunsWhatAnApiProcessQueuesAtOnceAndStopsWithinTenSecondsOnSigterm() {
        // Under failsafe only (after packaging): a -Dtest pattern can pick this class up in surefire too.
        Assumptions.assumeTrue(System.getProperty("modelyard.app.jar") != null, "needs the packaged jar");
        try (PlatformProcess api = PlatformProcess.start("api", Map.of()).awaitReady(Duration.ofSeconds(90));
                PlatformProcess worker = PlatformProcess.start("worker", Map.of("modelyard.worker.threads", "2"))
                        .awaitReady(Duration.ofSeconds(90))) {
            RestAssured.port = URI.create(api.url("/")).getPort();
            TestTenant tenant = TestTenant.signUp("Two processes");
            List<Long> dispatchMillis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = tenant.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then()
                        .statusCode(202).extract().path("id");
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                        "succeeded".equals(tenant.owner().api().get("/v1/jobs/" + id).then().extract().path("state")));
                var job = tenant.owner().api().get("/v1/jobs/" + id).then().extract();
                dispatchMillis.add(Duration.between(Instant.parse(job.path("created_at")),
                        Instant.parse(job.path("started_at"))).toMillis());
            }
            dispatchMillis.sort(Long::compare);
            // Polling alone (every 2 s) would put the median near a second: the API's NOTIFY woke the worker.
            assertTrue(dispatchMillis.get(5) < 500, "enqueue to start, sorted (ms): " + dispatchMillis);
            tenant.owner().api().get("/v1/jobs?state=succeeded&limit=100").then().body("data.size()", equalTo(10));

            long start = System.nanoTime();
            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(10));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 10_000, "the worker exited in " + tookMillis + " ms");
            assertTrue(worker.output().contains("stopped"), worker.output());
        } finally {
            RestAssured.reset();
        }
    }

    /**
     * A worker busy with a backlog holds a lease most of the time, so SIGKILL almost surely catches it holding
     * one or two: those jobs stay "running" until their lease expires, then the API process's reaper requeues
     * them and another worker process runs them again, as a resumed run. Every job succeeds exactly once.
     */
    @Test
    void jobsHeldByAWorkerKilledWithSigkillAreReapedAndRunAgainByAnotherWorker() throws Exception {
        Assumptions.assumeTrue(System.getProperty("modelyard.app.jar") != null, "needs the packaged jar");
        Map<String, String> fast = Map.of("modelyard.jobs.reaper-interval", "1s",
                "modelyard.jobs.backoff-base", "200ms", "modelyard.worker.lease-duration", "3s",
                "modelyard.worker.heartbeat-interval", "1s");
        Map<String, String> workerSettings = new HashMap<>(fast);
        workerSettings.put("modelyard.worker.threads", "2");
        try (PlatformProcess api = PlatformProcess.start("api", fast).awaitReady(Duration.ofSeconds(90));
                Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:5432/"
                        + System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test"),
                        "modelyard_owner", "modelyard_owner")) {
            RestAssured.port = URI.create(api.url("/")).getPort();
            TestTenant tenant = TestTenant.signUp("Killed worker");
            update(db, "update tenants set plan = 'enterprise' where id = ?", tenant.id());
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Callable<String>> creates = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                creates.add(() -> tenant.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then()
                        .statusCode(202).extract().path("id"));
            }
            for (Future<String> created : clients.invokeAll(creates)) {
                created.get();
            }
            clients.shutdown();

            int orphaned = 0;
            for (int round = 0; round < 3 && orphaned == 0; round++) {
                try (PlatformProcess doomed = PlatformProcess.start("worker", workerSettings)
                        .awaitReady(Duration.ofSeconds(90))) {
                    int before = count(db, "select count(*) from jobs where tenant_id = ? and state = 'succeeded'",
                            tenant.id());
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(db, "select count(*) from"
                            + " jobs where tenant_id = ? and state = 'succeeded'", tenant.id()) >= before + 20);
                    doomed.kill();
                    orphaned = count(db, "select count(*) from jobs where tenant_id = ? and state = 'running'"
                            + " and lease_owner like '%/" + doomed.pid() + "/%'", tenant.id());
                }
            }
            assertTrue(orphaned > 0, "SIGKILL caught the worker holding no lease, three times");

            try (PlatformProcess survivor = PlatformProcess.start("worker", workerSettings)
                    .awaitReady(Duration.ofSeconds(90))) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                        count(db, "select count(*) from jobs where tenant_id = ? and state = 'succeeded'",
                                tenant.id()) == 400);
            }
            assertEquals(0, count(db, "select count(*) from jobs j where tenant_id = ? and (select count(*) from"
                    + " job_events e where e.job_id = j.id and e.data->>'to' = 'succeeded') <> 1", tenant.id()),
                    "every job succeeded exactly once");
            int reaped = count(db, "select count(*) from jobs j where tenant_id = ? and runs = 2 and attempt = 2"
                    + " and exists (select 1 from job_events e where e.job_id = j.id and e.type = 'resumed')"
                    + " and exists (select 1 from job_events e where e.job_id = j.id"
                    + " and e.data->>'reason' = 'lease_expired')", tenant.id());
            assertTrue(reaped >= orphaned, reaped + " reaped and resumed jobs, " + orphaned + " orphaned");
        } finally {
            RestAssured.reset();
        }
    }

    private static int count(Connection db, String sql, String tenantId) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void update(Connection db, String sql, String tenantId) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.executeUpdate();
        }
    }
}

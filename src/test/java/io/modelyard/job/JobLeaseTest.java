package io.modelyard.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Leases: a dead or hung worker loses its job to the reaper, the next run resumes, the loser writes nothing. */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobLeaseTest {

    @Inject
    JobFixture fixture;

    @Inject
    TestJobLog log;

    @Inject
    JobQueue queue;

    @Inject
    JobLeases leases;

    @Inject
    JobWorker worker;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aJobWhoseWorkerStoppedHeartbeatingIsReapedAndRetriedWhileTheDeadWorkerCanNoLongerFinishIt() {
        TestTenant tenant = TestTenant.signUp("Dead worker");
        String id = fixture.enqueue(tenant, "test_ghost", Map.of(), Map.of(), 2).id();
        // A worker in another process claims the job with a one-second lease, then dies: no heartbeat ever.
        ClaimedJob ghost = queue.claim("ghost-worker", List.of("test_ghost"), Duration.ofSeconds(1)).orElseThrow();
        assertEquals(id, ghost.id());
        assertEquals(JobState.RUNNING, fixture.get(tenant, id).state());

        JobView requeued = fixture.awaitJob(tenant, id, job -> job.state() == JobState.QUEUED && job.attempt() == 2,
                Duration.ofSeconds(15));
        assertEquals("lease_expired", requeued.error().code());
        JobEventView reaped = last(fixture.events(tenant, id));
        assertEquals("lease_expired", reaped.data().get("reason"));
        assertEquals(JobEventLevel.WARNING, reaped.level());
        assertNotNull(reaped.data().get("run_after"));

        // The worker comes back to life and tries to record success: refused, nothing changes, and what was to
        // happen with the success (billing) does not happen either.
        java.util.concurrent.atomic.AtomicInteger billed = new java.util.concurrent.atomic.AtomicInteger();
        assertEquals(JobLeases.Ending.LOST, leases.finish(ghost.token(),
                RunOutcome.succeeded(Map.of("ghost", true), billed::incrementAndGet)).ending());
        assertEquals(0, billed.get());
        assertFalse(leases.record(ghost.token(), job -> job.record(JobEventType.MESSAGE, JobEventLevel.INFO,
                Map.of("message", "still here"), job.updatedAt)));
        JobView after = fixture.get(tenant, id);
        assertEquals(JobState.QUEUED, after.state());
        assertNull(after.result());
        assertEquals(reaped.id(), last(fixture.events(tenant, id)).id(), "no event from the dead worker");

        // Its last attempt dies the same way: the job fails, saying why.
        ClaimedJob second = await().atMost(Duration.ofSeconds(10)).until(
                () -> queue.claim("ghost-worker", List.of("test_ghost"), Duration.ofSeconds(1)), Optional::isPresent)
                .orElseThrow();
        assertEquals(2, second.attempt());
        assertTrue(second.resumed());
        JobView failed = fixture.awaitState(tenant, id, JobState.FAILED);
        assertEquals("lease_expired", failed.error().code());
        assertTrue(failed.error().message().contains("no attempts are left"), failed.error().message());
    }

    @Test
    void aHungWorkerLosesItsLeaseTheNextRunResumesAndTheHungRunCannotOverwriteIt() throws Exception {
        TestTenant tenant = TestTenant.signUp("Hung worker");
        String id = fixture.enqueue(tenant, "test_zombie", Map.of(), Map.of(), 3).id();
        fixture.awaitState(tenant, id, JobState.RUNNING);
        // The worker stops heartbeating for longer than its lease (a long GC pause, a network partition): as the
        // database sees it, the lease has expired; the reaper gives the job to the queue again.
        expireLeaseAndReap(id);

        JobView done = fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        assertEquals("resumed", done.result().get("run"));
        assertEquals(2, done.attempt());
        // Meanwhile the hung run heard from its heartbeat that it lost the job.
        log.gate(id).countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.of(id).size() == 2);
        TestJobLog.Run hung = log.of(id).stream().filter(r -> !r.resumed()).findFirst().orElseThrow();
        assertEquals(StopReason.LEASE_LOST, hung.stopSeen());
        assertEquals(1, hung.attempt());
        TestJobLog.Run resumed = log.of(id).stream().filter(TestJobLog.Run::resumed).findFirst().orElseThrow();
        assertEquals(2, resumed.attempt());

        // The hung run's "success" and its message were refused.
        Thread.sleep(500);
        JobView after = fixture.get(tenant, id);
        assertEquals("resumed", after.result().get("run"));
        assertEquals(done.updatedAt(), after.updatedAt());
        List<JobEventView> events = fixture.events(tenant, id);
        assertEquals(List.of("state:queued", "state:running", "state:queued", "state:running", "resumed",
                "message:resumed run", "state:succeeded"), events.stream().map(JobLeaseTest::describe).toList());
    }

    @Test
    void onShutdownARunningHandlerCheckpointsAndItsJobIsQueuedAgainWithoutUsingAnAttempt() {
        TestTenant tenant = TestTenant.signUp("Shutdown");
        String id = fixture.enqueue(tenant, "test_steps", Map.of("steps", 30, "step_ms", 100)).id();
        fixture.awaitJob(tenant, id, job -> job.progress() >= 10, Duration.ofSeconds(30));

        long start = System.nanoTime();
        worker.shutdown();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        try {
            assertTrue(tookMillis < 5_000, "the worker stopped in " + tookMillis + " ms");
            JobView queued = fixture.get(tenant, id);
            assertEquals(JobState.QUEUED, queued.state());
            assertEquals(1, queued.attempt(), "a shutdown uses no attempt");
            assertNull(queued.runAfter(), "and is not delayed");
            Integer checkpoint = log.checkpoints.get(id);
            assertNotNull(checkpoint);
            assertTrue(checkpoint >= 3, "checkpointed at step " + checkpoint);
            List<JobEventView> events = fixture.events(tenant, id);
            JobEventView released = last(events);
            assertEquals("preempted", released.data().get("reason"));
            assertEquals("queued", released.data().get("to"));
            assertEquals(JobEventType.CHECKPOINT, events.get(events.size() - 2).type());
            assertEquals(Map.of("step", checkpoint), events.get(events.size() - 2).data());
            assertEquals(StopReason.SHUTDOWN, log.of(id).get(0).stopSeen());
        } finally {
            worker.start();
        }

        JobView done = fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        assertEquals(1, done.attempt());
        assertEquals(log.checkpoints.get(id), done.result().get("started_from"), "resumed from the checkpoint");
        assertTrue(fixture.events(tenant, id).stream().anyMatch(e -> e.type() == JobEventType.RESUMED));
        assertTrue(log.of(id).get(1).resumed());
    }

    @Test
    void theKedaRoleCountsOnlyJobsThatCanBeClaimedNowAndReadsNothingElse() throws SQLException {
        // A type of this test's own, so that other tests' queued jobs do not enter the count.
        String type = "test_keda_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String plan = io.modelyard.testing.TestPlans.unlimited();   // max_concurrent_jobs = 2
        TestTenant busy = TestTenant.signUp("Queue depth, busy");
        io.modelyard.testing.TestPlans.assign(busy, plan);
        List<String> busyJobs = fixture.enqueueMany(busy, 4, type, Map.of("secret", "payload"));
        TestTenant idle = TestTenant.signUp("Queue depth, idle");
        io.modelyard.testing.TestPlans.assign(idle, plan);
        fixture.enqueueMany(idle, 3, type, Map.of());
        String url = "jdbc:postgresql://localhost:5432/" + System.getenv().getOrDefault("MODELYARD_TEST_DB",
                "modelyard_test");
        String claimable = "select claimable_jobs(array['" + type + "'])";
        try (Connection keda = java.sql.DriverManager.getConnection(url, "modelyard_keda", "modelyard_keda");
             Connection owner = schemaOwner.getConnection()) {
            assertEquals(4, count(keda, claimable), "2 for each tenant: its cap");
            // One of the busy tenant's jobs runs: it has room for one more, the idle one still for two.
            owner.createStatement().executeUpdate("update jobs set state = 'running', lease_owner = 'keda-test',"
                    + " lease_expires_at = now() + interval '1 hour', started_at = now() where id = '"
                    + busyJobs.get(0) + "'");
            assertEquals(3, count(keda, claimable));
            owner.createStatement().executeUpdate("update jobs set state = 'running', lease_owner = 'keda-test',"
                    + " lease_expires_at = now() + interval '1 hour', started_at = now() where id = '"
                    + busyJobs.get(1) + "'");
            assertEquals(2, count(keda, claimable), "a tenant at its cap scales nothing up");
            owner.createStatement().executeUpdate("update jobs set state = 'cancelled', finished_at = now(),"
                    + " lease_owner = null, lease_expires_at = null where type = '" + type + "'");
            assertEquals(0, count(keda, claimable));
            for (String forbidden : List.of("select count(*) from jobs", "select payload from jobs",
                    "select count(*) from job_events", "select count(*) from tenants", "select count(*) from plans")) {
                try {
                    count(keda, forbidden);
                    throw new AssertionError("modelyard_keda may run: " + forbidden);
                } catch (SQLException e) {
                    assertEquals("42501", e.getSQLState(), forbidden + ": " + e.getMessage());
                }
            }
        }
    }

    private void expireLeaseAndReap(String id) throws SQLException {
        try (Connection owner = schemaOwner.getConnection()) {
            owner.setAutoCommit(false);
            try (PreparedStatement expire = owner.prepareStatement(
                    "update jobs set lease_expires_at = clock_timestamp() - interval '1 second' where id = ?")) {
                expire.setString(1, id);
                assertEquals(1, expire.executeUpdate());
            }
            try (PreparedStatement reap = owner.prepareStatement(
                    "select outcome from reap_expired_jobs(0.1, 0.1) where job_id = ?")) {
                reap.setString(1, id);
                try (ResultSet outcome = reap.executeQuery()) {
                    assertTrue(outcome.next());
                    assertEquals("requeued", outcome.getString(1));
                }
            }
            owner.commit();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static JobEventView last(List<JobEventView> events) {
        return events.get(events.size() - 1);
    }

    private static String describe(JobEventView event) {
        return switch (event.type()) {
            case STATE -> "state:" + event.data().get("to");
            case MESSAGE -> "message:" + event.data().get("message");
            default -> event.type().name().toLowerCase();
        };
    }
}

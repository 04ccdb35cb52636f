package io.modelyard.job;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How runs end: retries with backoff, failures, cancellation of a running job, progress. */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobLifecycleTest {

    @Inject
    JobFixture fixture;

    @Inject
    TestJobLog log;

    @Test
    void retryableFailuresAreRetriedWithGrowingBackoffUntilTheJobSucceeds() {
        TestTenant tenant = TestTenant.signUp("Flaky");
        String id = fixture.enqueue(tenant, "test_flaky", Map.of("fail_times", 2), Map.of(), 3).id();
        JobView job = fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        assertEquals(3, job.attempt());
        assertEquals(3, job.result().get("attempt"));
        assertNull(job.error(), "a job that succeeded carries no error");

        List<TestJobLog.Run> runs = log.of(id);
        assertEquals(List.of(1, 2, 3), runs.stream().map(TestJobLog.Run::attempt).toList());
        assertEquals(List.of(false, true, true), runs.stream().map(TestJobLog.Run::resumed).toList());
        // Backoff base 300 ms, doubling, ±20 %.
        assertTrue(gapMillis(runs, 0) >= 240, "first backoff " + gapMillis(runs, 0) + " ms");
        assertTrue(gapMillis(runs, 1) >= 480, "second backoff " + gapMillis(runs, 1) + " ms");

        List<JobEventView> retries = fixture.events(tenant, id).stream()
                .filter(e -> "retry".equals(e.data().get("reason"))).toList();
        assertEquals(2, retries.size());
        JobEventView firstRetry = retries.get(0);
        assertEquals(JobEventLevel.WARNING, firstRetry.level());
        assertEquals(2, firstRetry.data().get("attempt"));
        assertNotNull(firstRetry.data().get("run_after"));
        assertEquals(Map.of("code", "store_unavailable", "message", "The blob store did not answer on attempt 1."),
                firstRetry.data().get("error"));
    }

    @Test
    void aJobFailsForGoodWhenItsAttemptsRunOutWithTheLastErrorRecorded() {
        TestTenant tenant = TestTenant.signUp("Out of attempts");
        String id = fixture.enqueue(tenant, "test_flaky", Map.of("fail_times", 5), Map.of(), 2).id();
        JobView job = fixture.awaitState(tenant, id, JobState.FAILED);
        assertEquals(2, job.attempt());
        assertEquals(new JobView.JobError("store_unavailable", "The blob store did not answer on attempt 2."),
                job.error());
        assertNotNull(job.finishedAt());
        assertEquals(2, log.of(id).size());
        JobEventView last = fixture.events(tenant, id).get(fixture.events(tenant, id).size() - 1);
        assertEquals("failed", last.data().get("to"));
        assertEquals(JobEventLevel.ERROR, last.level());
    }

    @Test
    void aNonRetryableFailureFailsAtOnce() {
        TestTenant tenant = TestTenant.signUp("Bad input");
        String id = fixture.enqueue(tenant, "test_flaky", Map.of("permanent", true), Map.of(), 3).id();
        JobView job = fixture.awaitState(tenant, id, JobState.FAILED);
        assertEquals(1, job.attempt());
        assertEquals(new JobView.JobError("invalid_dataset", "The dataset has no label column."), job.error());
        assertEquals(1, log.of(id).size());
    }

    @Test
    void anUnexpectedExceptionIsRetriedAndReachesTheTenantOnlyAsAGenericError() {
        TestTenant tenant = TestTenant.signUp("Crash");
        String id = fixture.enqueue(tenant, "test_flaky", Map.of("crash", true), Map.of(), 2).id();
        JobView job = fixture.awaitState(tenant, id, JobState.FAILED);
        assertEquals(2, log.of(id).size(), "retried once");
        assertEquals("internal_error", job.error().code());
        tenant.owner().api().get("/v1/jobs/" + id).then().statusCode(200)
                .body("error.code", equalTo("internal_error"))
                .body(not(containsString("hunter2")))
                .body(not(containsString("10.1.2.3")))
                .body(not(containsString("Exception")));
        tenant.owner().api().get("/v1/jobs/" + id + "/events").then()
                .body(not(containsString("hunter2"))).body(not(containsString("Exception")));
    }

    @Test
    void cancellingARunningJobStopsItsHandlerWithinSecondsAndCleansUp() {
        TestTenant tenant = TestTenant.signUp("Cancel running");
        String id = fixture.enqueue(tenant, "test_steps", Map.of("steps", 200, "step_ms", 100)).id();
        fixture.awaitJob(tenant, id, job -> job.progress() > 0, Duration.ofSeconds(30));
        assertTrue(log.artifacts.contains(id));

        long asked = System.nanoTime();
        tenant.owner().api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .body("state", anyOf(equalTo("cancelling"), equalTo("cancelled")));
        JobView job = fixture.awaitJob(tenant, id, j -> j.state() == JobState.CANCELLED, Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(tookMillis < 3_000, "stopped in " + tookMillis + " ms");
        assertNotNull(job.cancelRequestedAt());
        assertNotNull(job.finishedAt());
        assertTrue(job.progress() < 100);
        assertFalse(log.artifacts.contains(id), "the handler deleted its partial artifact");
        assertEquals(StopReason.CANCEL, log.of(id).get(0).stopSeen());

        List<JobEventView> states = fixture.events(tenant, id).stream()
                .filter(e -> e.type() == JobEventType.STATE).toList();
        assertEquals(List.of("queued", "running", "cancelling", "cancelled"),
                states.stream().map(e -> e.data().get("to")).toList());
        assertEquals("cancel_requested", states.get(2).data().get("reason"));
    }

    @Test
    void progressMetricsAndTheEstimatedFinishAreReportedWhileAJobRuns() {
        TestTenant tenant = TestTenant.signUp("Progress");
        String id = fixture.enqueue(tenant, "test_steps", Map.of("steps", 8, "step_ms", 250)).id();
        JobView running = fixture.awaitJob(tenant, id, job -> job.progress() > 0 && job.progress() < 100,
                Duration.ofSeconds(30));
        assertEquals(JobState.RUNNING, running.state());
        assertNotNull(running.estimatedFinishAt(), "estimated from the pace so far");
        assertTrue(running.estimatedFinishAt().isAfter(Instant.now().minusSeconds(1)));
        assertTrue(running.estimatedFinishAt().isBefore(Instant.now().plusSeconds(30)));

        JobView done = fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        assertEquals(100.0, done.progress());
        assertNull(done.estimatedFinishAt());
        List<JobEventView> events = fixture.events(tenant, id);
        List<JobEventView> metrics = events.stream().filter(e -> e.type() == JobEventType.METRIC).toList();
        assertEquals(8, metrics.size());
        assertEquals(Map.of("step", 8, "loss", 0.125), metrics.get(7).data());
        assertTrue(events.stream().anyMatch(e -> e.type() == JobEventType.PROGRESS
                && e.data().get("estimated_finish_at") != null));
    }

    private static long gapMillis(List<TestJobLog.Run> runs, int i) {
        return (runs.get(i + 1).startNanos() - runs.get(i).endNanos()) / 1_000_000;
    }
}

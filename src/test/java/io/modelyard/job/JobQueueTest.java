package io.modelyard.job;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Claiming: exactly once, fair across tenants, within each tenant's plan, never for suspended tenants. */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobQueueTest {

    @Inject
    JobFixture fixture;

    @Inject
    TestJobLog log;

    @Inject
    JobQueue queue;

    @Inject
    JobLeases leases;

    @Test
    void fiftyShortJobsRunExactlyOnceEachAcrossFourThreadsAndTwoRivalWorkers() throws Exception {
        TestTenant tenant = TestTenant.signUp("Fifty");
        fixture.setPlan(tenant, "enterprise");
        // Two more workers, as other processes would be, claiming the same jobs through the same function.
        Map<String, String> rivalClaims = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> duplicates = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService rivals = Executors.newFixedThreadPool(2);
        for (int r = 0; r < 2; r++) {
            String owner = "rival-" + r;
            rivals.execute(() -> {
                while (!done.get()) {
                    Optional<ClaimedJob> claimed = queue.claim(owner, List.of("test_sleep"), Duration.ofSeconds(30));
                    if (claimed.isEmpty()) {
                        sleep(10);
                        continue;
                    }
                    ClaimedJob job = claimed.get();
                    if (rivalClaims.putIfAbsent(job.id(), owner) != null) {
                        duplicates.add(job.id());
                    }
                    sleep(20);
                    leases.finish(job.token(), RunOutcome.succeeded(Map.of("by", owner)));
                }
            });
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.addAll(fixture.enqueueMany(tenant, 10, "test_sleep", Map.of("sleep_ms", 20)));
        }
        try {
            for (String id : ids) {
                fixture.awaitState(tenant, id, JobState.SUCCEEDED);
            }
        } finally {
            done.set(true);
        }
        rivals.shutdown();
        assertTrue(rivals.awaitTermination(30, TimeUnit.SECONDS));

        assertEquals(List.of(), List.copyOf(duplicates));
        Map<String, List<TestJobLog.Run>> local = log.ofTenant(tenant.id()).stream()
                .collect(Collectors.groupingBy(TestJobLog.Run::jobId));
        for (String id : ids) {
            int runs = local.getOrDefault(id, List.of()).size() + (rivalClaims.containsKey(id) ? 1 : 0);
            assertEquals(1, runs, id + " ran " + runs + " times");
            long claims = fixture.events(tenant, id).stream()
                    .filter(e -> "running".equals(e.data().get("to"))).count();
            assertEquals(1, claims, id + " was claimed " + claims + " times");
            JobView job = fixture.get(tenant, id);
            assertEquals(1, job.attempt());
            Object by = job.result().get("by");
            assertEquals(rivalClaims.get(id), by, "the result was written by the run that held " + id);
        }
        Set<String> threads = local.values().stream().flatMap(Collection::stream).map(TestJobLog.Run::thread)
                .collect(Collectors.toSet());
        assertTrue(threads.size() >= 2, "the in-process worker used several threads: " + threads);
        assertTrue(local.size() >= 5 && rivalClaims.size() >= 5,
                "both the worker and its rivals ran jobs: " + local.size() + " / " + rivalClaims.size());
    }

    @Test
    void aTenantWithABacklogCannotStarveALaterTenant() {
        TestTenant busy = TestTenant.signUp("Backlog");
        TestTenant later = TestTenant.signUp("Later");
        fixture.setPlan(busy, "enterprise");
        fixture.setPlan(later, "enterprise");
        List<String> backlog = fixture.enqueueMany(busy, 40, "test_sleep", Map.of("sleep_ms", 100));
        fixture.awaitState(busy, backlog.get(0), JobState.RUNNING);
        List<String> few = fixture.enqueueMany(later, 4, "test_sleep", Map.of("sleep_ms", 100));
        for (String id : few) {
            fixture.awaitState(later, id, JobState.SUCCEEDED);
        }
        for (String id : backlog) {
            fixture.awaitState(busy, id, JobState.SUCCEEDED);
        }
        long lastLaterStart = log.ofTenant(later.id()).stream().mapToLong(TestJobLog.Run::startNanos).max()
                .orElseThrow();
        long busyStartedAfter = log.ofTenant(busy.id()).stream().filter(r -> r.startNanos() > lastLaterStart)
                .count();
        assertTrue(busyStartedAfter >= 20, "the later tenant's jobs ran while the backlog waited: only "
                + busyStartedAfter + " of 40 backlog jobs started after them");
    }

    @Test
    void aFreeTenantNeverRunsTwoJobsAtOnce() {
        TestTenant free = TestTenant.signUp("Free plan");
        TestTenant paying = TestTenant.signUp("Paying");
        fixture.setPlan(paying, "enterprise");
        List<String> freeJobs = new ArrayList<>();
        List<String> payingJobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            freeJobs.add(fixture.enqueue(free, "test_sleep", Map.of("sleep_ms", 150)).id());
            payingJobs.add(fixture.enqueue(paying, "test_sleep", Map.of("sleep_ms", 150)).id());
        }
        freeJobs.forEach(id -> fixture.awaitState(free, id, JobState.SUCCEEDED));
        payingJobs.forEach(id -> fixture.awaitState(paying, id, JobState.SUCCEEDED));
        assertEquals(1, maxConcurrency(log.ofTenant(free.id())), "free plan: max_concurrent_jobs = 1");
        assertTrue(maxConcurrency(log.ofTenant(paying.id())) >= 2, "the worker had room for more at the time");
    }

    @Test
    void aSuspendedTenantsQueuedJobsWaitUntilItIsResumed() {
        TestTenant tenant = TestTenant.signUp("Suspended");
        String first = fixture.enqueue(tenant, "test_steps", Map.of("steps", 10, "step_ms", 100)).id();
        fixture.awaitState(tenant, first, JobState.RUNNING);
        String second = fixture.enqueue(tenant, "test_sleep", Map.of("sleep_ms", 1)).id();
        var operator = Keycloak.operator();
        operator.api().body(Map.of("reason", "unpaid")).post("/v1/admin/tenants/" + tenant.id() + "/suspend")
                .then().statusCode(200).body("status", equalTo("suspended"));

        fixture.awaitState(tenant, first, JobState.SUCCEEDED);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> fixture.get(tenant, second).state() == JobState.QUEUED);

        operator.api().post("/v1/admin/tenants/" + tenant.id() + "/resume").then().statusCode(200);
        fixture.awaitState(tenant, second, JobState.SUCCEEDED);
    }

    /** The most runs that overlapped in time. */
    private static int maxConcurrency(List<TestJobLog.Run> runs) {
        List<long[]> edges = new ArrayList<>();
        for (TestJobLog.Run run : runs) {
            edges.add(new long[] {run.startNanos(), 1});
            edges.add(new long[] {run.endNanos(), -1});
        }
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int current = 0;
        int max = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            max = Math.max(max, current);
        }
        return max;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.modelyard.job;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.PlatformProcess;
import io.modelyard.testing.TestTenant;
import io.restassured.RestAssured;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}

package io.modelyard.training;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.PlatformProcess;
import io.modelyard.testing.TestTenant;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Training on real worker processes, as deployed: an API process and workers that die. A worker killed with
 * SIGKILL loses its lease and another resumes the job from its last checkpoint; a worker stopped with SIGTERM
 * checkpoints, hands the job back and exits within 10 s. Either way the compute is billed once.
 */
class TrainingWorkerIT {

    private static final Duration TRAINING = Duration.ofMinutes(4);

    private final Map<String, String> settings = new HashMap<>();

    TrainingWorkerIT() throws Exception {
        settings.put("modelyard.storage.dir", Files.createTempDirectory("modelyard-it-blobs").toString());
        settings.put("modelyard.jobs.reaper-interval", "1s");
        settings.put("modelyard.worker.lease-duration", "5s");
        settings.put("modelyard.worker.heartbeat-interval", "1s");
        // The worker is killed after the job's first checkpoint: its short epochs must each write one.
        settings.put("modelyard.training.checkpoint-interval", "0s");
        settings.put("ai.djl.pytorch.num_threads", "1");
        settings.put("ai.djl.pytorch.num_interop_threads", "1");
    }

    @AfterEach
    void resetRestAssured() {
        RestAssured.reset();
    }

    @Test
    void aJobSurvivesAKilledWorkerAndAStoppedOneAndIsBilledOnce() throws Exception {
        try (PlatformProcess api = PlatformProcess.start("api", settings).awaitReady(Duration.ofSeconds(120))) {
            RestAssured.port = URI.create(api.url("/")).getPort();
            TestTenant tenant = TestTenant.signUp("Preemptible");
            String job = longJob(tenant);

            // 1. SIGKILL: the worker vanishes holding the lease; the job waits for the lease to expire.
            try (PlatformProcess doomed = PlatformProcess.start("worker", settings)
                    .awaitReady(Duration.ofSeconds(120))) {
                awaitCheckpoint(tenant, job, 1);
                doomed.kill();
            }
            // 2. Another worker resumes it from the checkpoint; then SIGTERM: it checkpoints, hands the job back
            //    and exits within 10 s.
            try (PlatformProcess leaving = PlatformProcess.start("worker", settings)
                    .awaitReady(Duration.ofSeconds(120))) {
                TrainingJobs.awaitState(() -> tenant.owner().api(), job, "running", Duration.ofSeconds(60));
                awaitCheckpoint(tenant, job, 2);
                long asked = System.nanoTime();
                leaving.terminate();
                leaving.awaitExit(Duration.ofSeconds(15));
                double seconds = (System.nanoTime() - asked) / 1e9;
                assertTrue(seconds < 10, "the worker took " + seconds + " s to exit");
            }
            tenant.owner().api().get("/v1/training-jobs/" + job).then()
                    .body("state", equalTo("queued"))
                    .body("attempt", equalTo(2));
            // 3. A third worker finishes it; the shutdown did not use up an attempt.
            try (PlatformProcess last = PlatformProcess.start("worker", settings)
                    .awaitReady(Duration.ofSeconds(120))) {
                JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
                assertEquals(2, done.getInt("attempt"));
            }
            List<String> messages = messages(tenant, job);
            assertEquals(2, messages.stream().filter(m -> m.startsWith("Resumed from the checkpoint after epoch"))
                    .count(), "the events show both resumes: " + messages);
            assertEquals(1, usageRecords(job), "compute billed once across all runs");
            assertTrue(api.loadedClasses().stream().noneMatch(c -> c.startsWith("ai.djl.")),
                    "the api process loaded DJL");
        }
    }

    private static String longJob(TestTenant tenant) {
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(1200, 41));
        Map<String, Object> hyperparameters = new HashMap<>(TrainingJobs.TINY);
        hyperparameters.put("epochs", 30);
        hyperparameters.put("early_stopping_patience", 0);
        return TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", hyperparameters));
    }

    /** Waits for a checkpoint written by the given attempt. */
    private static void awaitCheckpoint(TestTenant tenant, String job, int attempt) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                tenant.owner().api().get("/v1/training-jobs/" + job + "/checkpoints").then().extract().jsonPath()
                        .<Integer>getList("data.attempt").contains(attempt));
    }

    private static List<String> messages(TestTenant tenant, String job) {
        return tenant.owner().api().get("/v1/training-jobs/" + job + "/events?limit=100").then().extract()
                .jsonPath().getList("data.findAll { it.type == 'message' }.data.message");
    }

    private static long usageRecords(String job) throws Exception {
        String db = System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db,
                "modelyard_owner", "modelyard_owner");
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from usage_events where job_id = ? and meter like 'training_%'")) {
            statement.setString(1, job);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

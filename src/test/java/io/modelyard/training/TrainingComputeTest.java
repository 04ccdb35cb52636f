package io.modelyard.training;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Training compute is held and charged on the meter of the device the engine trains on (the device faked where
 * the engine reports it), a plan without GPU allowance cannot train on a GPU, and a cancelled job is charged for
 * what it used — and shows it.
 */
@QuarkusTest
class TrainingComputeTest {

    private static final Duration TRAINING = Duration.ofMinutes(3);

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void onAGpuWorkerTheHoldMovesToGpuSecondsAndTheJobIsChargedThere() throws Exception {
        TestTenant tenant = TestTenant.signUp("GPU trainer");
        TestPlans.assign(tenant, TestPlans.create(Map.of(
                "training_gpu_seconds", TestPlans.terms(3600, "hard", 3600L, 0.028),
                "training_cpu_seconds", TestPlans.terms(3600, "hard", 3600L, 0.001)),
                100_000, 100_000, 100_000, 100_000));
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 21));
        String job;
        JsonPath done;
        try (AutoCloseable gpu = FakeGpuTrainer.reportingGpu()) {
            // The API holds on the configured meter (CPU here); the worker's device decides.
            job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                    "hyperparameters", TrainingJobs.TINY));
            done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        }
        assertEquals("training_gpu_seconds", done.getString("compute.meter"));
        assertTrue(new BigDecimal(done.getString("compute.charged_seconds")).signum() > 0);
        assertNull(done.get("compute.held_seconds"), "nothing held once charged");
        assertEquals(1, rows("select count(*) from usage_events where job_id = ? and meter = 'training_gpu_seconds'"
                + " and idempotency_key = 'job:' || job_id || ':compute'", job));
        assertEquals(0, rows("select count(*) from usage_events where job_id = ? and meter = 'training_cpu_seconds'",
                job));
        assertEquals(0, rows("select count(*) from usage_reservations where reference = 'job:' || ?", job));
        tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then().statusCode(200)
                .body("training.device", equalTo("gpu"));
    }

    @Test
    void aPlanWithoutGpuAllowanceCannotTrainOnAGpuWorker() throws Exception {
        TestTenant tenant = TestTenant.signUp("No GPU plan"); // free: training_gpu_seconds hard at 0
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 22));
        JsonPath done;
        String job;
        try (AutoCloseable gpu = FakeGpuTrainer.reportingGpu()) {
            job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                    "hyperparameters", TrainingJobs.TINY));
            done = TrainingJobs.awaitFinished(() -> tenant.owner().api(), job, TRAINING);
        }
        assertEquals("failed", done.getString("state"));
        assertEquals("quota_exceeded", done.getString("error.code"));
        assertTrue(done.getString("error.message").contains("GPU worker")
                && done.getString("error.message").contains("training_gpu_seconds"), done.getString("error.message"));
        assertEquals(0, rows("select count(*) from usage_events where job_id = ?", job), "nothing trained");
        assertEquals(0, rows("select count(*) from usage_reservations where reference = 'job:' || ?", job),
                "and nothing left held");
        tenant.owner().api().get("/v1/models").then().body("data.size()", equalTo(0));
    }

    @Test
    void aCancelledJobIsChargedForTheComputeItUsedAndShowsIt() throws Exception {
        TestTenant tenant = TestTenant.signUp("Cancelled trainer");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 23));
        Map<String, Object> longRun = new HashMap<>(TrainingJobs.TINY);
        longRun.put("epochs", 200);
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", longRun));
        JsonPath running = TrainingJobs.awaitState(() -> tenant.owner().api(), job, "running", Duration.ofSeconds(60));
        assertEquals("training_cpu_seconds", running.getString("compute.meter"));
        assertTrue(new BigDecimal(running.getString("compute.held_seconds")).signum() > 0, "held while it runs");
        // A job cancelled before it ran (the free plan runs one at a time) used nothing and is charged nothing.
        String queued = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        tenant.owner().api().post("/v1/training-jobs/" + queued + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled")).body("compute", nullValue());
        assertEquals(0, rows("select count(*) from usage_events where job_id = ?", queued));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !tenant.owner().api()
                .get("/v1/training-jobs/" + job + "/checkpoints").then().extract().jsonPath().getList("data")
                .isEmpty());

        tenant.owner().api().post("/v1/training-jobs/" + job + "/cancel").then().statusCode(200);
        JsonPath done = TrainingJobs.awaitFinished(() -> tenant.owner().api(), job, Duration.ofSeconds(60));
        assertEquals("cancelled", done.getString("state"));
        BigDecimal charged = new BigDecimal(done.getString("compute.charged_seconds"));
        assertTrue(charged.signum() > 0, "charged for what it used: " + charged);
        assertNull(done.get("compute.held_seconds"));
        assertEquals(1, rows("select count(*) from usage_events where job_id = ? and meter = 'training_cpu_seconds'",
                job));
        tenant.owner().api().get("/v1/usage/events?job_id=" + job).then().statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].meter", equalTo("training_cpu_seconds"));
    }

    @Test
    void theEstimateGrowsWithLayersHeadsAndQuadraticallyWithTheSequence() {
        TestTenant tenant = TestTenant.signUp("Estimator");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 24));
        long base = estimate(tenant, version, Map.of("layers", 2, "heads", 4, "max_sequence_length", 128));
        long deeper = estimate(tenant, version, Map.of("layers", 4, "heads", 4, "max_sequence_length", 128));
        long longer = estimate(tenant, version, Map.of("layers", 2, "heads", 4, "max_sequence_length", 512));
        long headier = estimate(tenant, version, Map.of("layers", 2, "heads", 8, "max_sequence_length", 128));
        long fixed = (long) TrainingCost.FIXED_SECONDS;
        assertTrue(deeper - fixed >= 2 * (base - fixed) - 1, "twice the layers, about twice the work");
        assertTrue(longer - fixed > 4 * (base - fixed), "four times the sequence, more than four times the work:"
                + " " + base + " -> " + longer);
        assertTrue(headier > base, "more heads, more attention maps");
    }

    private long estimate(TestTenant tenant, String version, Map<String, Object> shape) {
        Map<String, Object> hyperparameters = new HashMap<>(shape);
        hyperparameters.put("epochs", 1000);
        return ((Number) tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture",
                "transformer", "hyperparameters", hyperparameters, "dry_run", true)).post("/v1/training-jobs")
                .then().statusCode(200).body("meter", containsString("training_")).extract()
                .path("estimated_compute_seconds")).longValue();
    }

    private long rows(String sql, String parameter) throws Exception {
        try (Connection c = schemaOwner.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}

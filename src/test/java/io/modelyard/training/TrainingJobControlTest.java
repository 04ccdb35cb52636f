package io.modelyard.training;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.TypedId;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Cancelling, idempotent creation, usage, and isolation of training jobs. */
@QuarkusTest
class TrainingJobControlTest {

    private static final Duration TRAINING = Duration.ofMinutes(3);

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aQueuedJobIsCancelledAtOnceAndARunningOneStopsWithinSeconds() throws Exception {
        TestTenant tenant = TestTenant.signUp("Canceller");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 8));
        Map<String, Object> longRun = new HashMap<>(TrainingJobs.TINY);
        longRun.put("epochs", 200);
        String running = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", longRun));
        // A free plan runs one job at a time: the second waits in the queue.
        String queued = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        TrainingJobs.awaitState(() -> tenant.owner().api(), running, "running", Duration.ofSeconds(60));
        tenant.owner().api().get("/v1/training-jobs/" + queued).then().body("state", equalTo("queued"));

        tenant.owner().api().post("/v1/training-jobs/" + queued + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));

        // Wait until the running job has checkpointed, then cancel it: it stops and leaves no checkpoint.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !tenant.owner().api()
                .get("/v1/training-jobs/" + running + "/checkpoints").then().extract().jsonPath()
                .getList("data").isEmpty());
        long asked = System.nanoTime();
        tenant.owner().api().post("/v1/training-jobs/" + running + "/cancel").then().statusCode(200);
        JsonPath done = TrainingJobs.awaitFinished(() -> tenant.owner().api(), running, Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - asked) / 1e9;
        assertEquals("cancelled", done.getString("state"));
        assertTrue(seconds < 10, "stopped " + seconds + " s after the cancel");
        tenant.owner().api().get("/v1/training-jobs/" + running + "/checkpoints").then().body("data.size()",
                equalTo(0));
        assertEquals(0, countRows("select count(*) from training_checkpoints where job_id = ?", running));
        assertProblem(tenant.owner().api().post("/v1/training-jobs/" + running + "/cancel"), 409, "job-finished");
        tenant.owner().api().get("/v1/models").then().body("data.size()", equalTo(0));
    }

    @Test
    void tenConcurrentCreatesWithOneIdempotencyKeyMakeOneJob() throws Exception {
        TestTenant tenant = TestTenant.signUp("Retrier");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 9));
        Map<String, Object> body = Map.of("dataset_version_id", version, "hyperparameters", TrainingJobs.TINY,
                "dry_run", false);
        String token = tenant.owner().token();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Callable<String> create = () -> io.restassured.RestAssured.given().auth().oauth2(token)
                    .contentType("application/json").header("Idempotency-Key", "train-once").body(body)
                    .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
            answers.add(pool.submit(create));
        }
        Set<String> ids = new HashSet<>();
        for (Future<String> answer : answers) {
            ids.add(answer.get());
        }
        pool.shutdown();
        assertEquals(1, ids.size(), "one job for ten identical requests: " + ids);
        tenant.owner().api().get("/v1/training-jobs").then().body("data.size()", equalTo(1));
        assertProblem(tenant.owner().api().header("Idempotency-Key", "train-once")
                .body(Map.of("dataset_version_id", version, "seed", 99)).post("/v1/training-jobs"), 409,
                "idempotency-key-reused");
        String job = ids.iterator().next();
        TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        // A retry after the job settled answers it again and holds no compute for it anew.
        tenant.owner().api().header("Idempotency-Key", "train-once").body(body).post("/v1/training-jobs").then()
                .statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(job));
        tenant.owner().api().get("/v1/training-jobs/" + job).then()
                .body("compute.held_seconds", nullValue())
                .body("compute.charged_seconds", notNullValue());
    }

    @Test
    void eventsStreamAsServerSentEventsWithPerEpochMetrics() throws Exception {
        TestTenant tenant = TestTenant.signUp("Streamer");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 14));
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient
                .newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                + "/v1/training-jobs/" + job + "/events?stream=true"))
                        .header("Authorization", "Bearer " + tenant.owner().token()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        // The stream follows the job live and ends when it has finished.
        List<String> data = response.body().filter(line -> line.startsWith("data:")).toList();
        assertTrue(data.stream().filter(d -> d.contains("\"val_accuracy\"")).count() >= 6, data.toString());
        assertTrue(data.get(data.size() - 1).contains("succeeded"), "the last event is the final state: "
                + data.get(data.size() - 1));
    }

    @Test
    void computeIsRecordedOnceAsUsage() throws Exception {
        TestTenant tenant = TestTenant.signUp("Metered");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 10));
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        assertEquals(1, countRows("select count(*) from usage_events where job_id = ? and meter = "
                + "'training_cpu_seconds' and quantity > 0", job));
    }

    @Test
    void anotherTenantsJobsModelsAndDatasetVersionsAnswer404() {
        TestTenant owner = TestTenant.signUp("Owner");
        TestTenant other = TestTenant.signUp("Other");
        String version = Datasets.upload(owner.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 12));
        String job = TrainingJobs.start(owner.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        String model = TrainingJobs.awaitSucceeded(() -> owner.owner().api(), job, TRAINING).getString("model_id");

        assertProblem(other.owner().api().body(Map.of("dataset_version_id", version)).post("/v1/training-jobs"),
                404, "not-found");
        for (String id : List.of(job, TypedId.generate("job"))) {
            assertProblem(other.owner().api().get("/v1/training-jobs/" + id), 404, "not-found");
            assertProblem(other.owner().api().post("/v1/training-jobs/" + id + "/cancel"), 404, "not-found");
            assertProblem(other.owner().api().get("/v1/training-jobs/" + id + "/events"), 404, "not-found");
            assertProblem(other.owner().api().get("/v1/training-jobs/" + id + "/checkpoints"), 404, "not-found");
        }
        for (String id : List.of(model, TypedId.generate("mdl"))) {
            assertProblem(other.owner().api().get("/v1/models/" + id), 404, "not-found");
            assertProblem(other.owner().api().get("/v1/models/" + id + "/card"), 404, "not-found");
            assertProblem(other.owner().api().delete("/v1/models/" + id), 404, "not-found");
            assertProblem(other.owner().api().body(Map.of("model_id", id)).put("/v1/model-aliases/production"), 404,
                    "not-found");
        }
        other.owner().api().get("/v1/training-jobs").then().body("data.size()", equalTo(0));
        other.owner().api().get("/v1/models").then().body("data.size()", equalTo(0));
        // A canary in the generic jobs API is not a training job either.
        String canary = other.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then().statusCode(202)
                .extract().path("id");
        assertProblem(other.owner().api().get("/v1/training-jobs/" + canary), 404, "not-found");
    }

    private long countRows(String sql, String parameter) throws Exception {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

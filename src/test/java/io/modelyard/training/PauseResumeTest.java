package io.modelyard.training;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.TypedId;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Pausing a training job frees its worker and bills nothing; resuming continues the same loss curve. */
@QuarkusTest
class PauseResumeTest {

    private static final Duration TRAINING = Duration.ofMinutes(3);

    @Test
    void aPausedJobFreesItsWorkerUsesNoComputeAndResumesWhereItStopped() {
        TestTenant tenant = TestTenant.signUp("Pauser");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 41));
        Map<String, Object> hyperparameters = new HashMap<>(TrainingJobs.TINY);
        hyperparameters.put("epochs", 40);
        hyperparameters.put("early_stopping_patience", 0);
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", hyperparameters));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> epochs(tenant, job).size() >= 2);

        tenant.owner().api().post("/v1/training-jobs/" + job + "/pause").then().statusCode(200)
                .body("state", oneOf("pausing", "paused"));
        TrainingJobs.awaitState(() -> tenant.owner().api(), job, "paused", Duration.ofSeconds(30));
        List<Integer> beforeResume = epochs(tenant, job);
        assertFalse(tenant.owner().api().get("/v1/training-jobs/" + job + "/checkpoints").then().extract()
                .jsonPath().getList("data").isEmpty(), "the pause saved a checkpoint");
        // Its worker and its slot under the plan (one job at a time) are free: another job runs to the end.
        String other = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), other, TRAINING);
        assertEquals(beforeResume, epochs(tenant, job), "nothing trained while paused");
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then()
                .body("data.findAll { it.job_id == '" + job + "' }.size()", equalTo(0));
        tenant.owner().api().post("/v1/training-jobs/" + job + "/pause").then().statusCode(200)
                .body("state", equalTo("paused"));

        tenant.owner().api().post("/v1/training-jobs/" + job + "/resume").then().statusCode(200)
                .body("state", oneOf("queued", "running"));
        TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        List<Integer> all = epochs(tenant, job);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i), "each epoch once, in order, across the pause: " + all);
        }
        assertEquals(40, all.size());
        List<Map<String, Object>> events = events(tenant, job);
        assertTrue(events.stream().anyMatch(e -> "resumed".equals(e.get("type"))));
        assertTrue(events.stream().filter(e -> "state".equals(e.get("type")))
                .map(e -> ((Map<?, ?>) e.get("data")).get("to")).toList().containsAll(List.of("pausing", "paused",
                        "queued")));
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then()
                .body("data.findAll { it.job_id == '" + job + "' }.size()", equalTo(1));

        assertProblem(tenant.owner().api().post("/v1/training-jobs/" + job + "/pause"), 409, "job-finished");
        assertProblem(tenant.owner().api().post("/v1/training-jobs/" + job + "/resume"), 409, "job-finished");
    }

    @Test
    void aQueuedJobPausesAtOnceOnlyPausableTypesPauseAndAnotherTenantsJobIs404() {
        TestTenant tenant = TestTenant.signUp("Queue pauser");
        TestTenant other = TestTenant.signUp("Queue other");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 42));
        Map<String, Object> longRun = new HashMap<>(TrainingJobs.TINY);
        longRun.put("epochs", 300);
        String running = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", longRun));
        String queued = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY));
        TrainingJobs.awaitState(() -> tenant.owner().api(), running, "running", Duration.ofSeconds(60));
        tenant.owner().api().post("/v1/jobs/" + queued + "/pause").then().statusCode(200)
                .body("state", equalTo("paused")).body("pause_requested_at", org.hamcrest.Matchers.notNullValue());
        tenant.owner().api().get("/v1/training-jobs?state=paused").then().body("data.id", equalTo(List.of(queued)));
        // a paused job is cancelled at once
        tenant.owner().api().post("/v1/training-jobs/" + queued + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertProblem(tenant.owner().api().post("/v1/training-jobs/" + queued + "/resume"), 409, "job-finished");

        String canary = tenant.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then().statusCode(202)
                .extract().path("id");
        assertProblem(tenant.owner().api().post("/v1/jobs/" + canary + "/pause"), 409, "job-not-pausable");
        for (String id : List.of(running, TypedId.generate("job"))) {
            assertProblem(other.owner().api().post("/v1/training-jobs/" + id + "/pause"), 404, "not-found");
            assertProblem(other.owner().api().post("/v1/training-jobs/" + id + "/resume"), 404, "not-found");
            assertProblem(other.owner().api().post("/v1/jobs/" + id + "/pause"), 404, "not-found");
            assertProblem(other.owner().api().post("/v1/jobs/" + id + "/resume"), 404, "not-found");
        }
        assertProblem(tenant.owner().api().get("/v1/training-jobs?state=sleeping"), 400, "validation-failed");
        tenant.owner().api().post("/v1/training-jobs/" + running + "/cancel").then().statusCode(200);
        TrainingJobs.awaitFinished(() -> tenant.owner().api(), running, TRAINING);
    }

    private static List<Integer> epochs(TestTenant tenant, String job) {
        return events(tenant, job).stream().filter(e -> "metric".equals(e.get("type")))
                .map(e -> ((Number) ((Map<?, ?>) e.get("data")).get("epoch")).intValue()).toList();
    }

    /** Every event of the job, oldest first, following the cursor. */
    static List<Map<String, Object>> events(TestTenant tenant, String job) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        String after = null;
        do {
            JsonPath page = tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100"
                    + (after == null ? "" : "&after=" + after)).then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("data"));
            after = page.getBoolean("has_more") ? page.getString("next_cursor") : null;
        } while (after != null);
        return all;
    }
}

package io.modelyard.serving.batch;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.billing.Meter;
import io.modelyard.billing.metering.Quotas;
import io.modelyard.common.TypedId;
import io.modelyard.job.JobService;
import io.modelyard.serving.UsageLedger;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cancelling, refusing, isolating and billing batch predictions. */
@QuarkusTest
class BatchPredictionControlTest {

    @Inject
    ModelFixtures fixtures;

    @Inject
    UsageLedger ledger;

    @Inject
    TenantScope tenants;

    @Inject
    JobService jobs;

    @Inject
    Quotas quotas;

    @Inject
    BatchResultSweeper sweeper;

    @Inject
    BatchResultStorageFootprint footprint;

    @Inject
    BlobStore blobs;

    @Test
    void aQueuedJobIsNotReadyCancelsAtOnceAndGivesItsPredictionsBack() {
        TestTenant tenant = TestTenant.signUp("Batch canceller");
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(120, 4));
        // A free plan runs one job at a time: while another job runs, the batch prediction waits in the queue.
        String blocker = holdTheJobSlot(tenant, 4000);
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id", version));
        tenant.owner().api().get("/v1/batch-predictions/" + id).then().body("state", equalTo("queued"))
                .body("rows", equalTo(120));
        assertEquals(0, new BigDecimal(120).compareTo(reserved(tenant)), "every row is held");
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + id + "/result"), 409, "result-not-ready");

        tenant.owner().api().post("/v1/batch-predictions/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertEquals(0, reserved(tenant).signum(), "the hold is given back");
        assertProblem(tenant.owner().api().post("/v1/batch-predictions/" + id + "/cancel"), 409, "job-finished");
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + id + "/result"), 409, "result-not-ready");
        tenant.owner().api().queryParam("state", "cancelled").get("/v1/batch-predictions").then().statusCode(200)
                .body("data.id", equalTo(List.of(id)));
        // A job of another type is no batch prediction.
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + blocker), 404, "not-found");
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + blocker + "/result"), 404, "not-found");

        // The slot frees up; a new job runs and is billed; the cancelled one never is.
        String next = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id", version));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), next);
        List<UsageLedger.Event> predictions = ledger.events(tenant.id()).stream()
                .filter(e -> e.meter().equals("predictions")).toList();
        assertEquals(1, predictions.size(), predictions.toString());
        assertEquals("job:" + next + ":predictions", predictions.get(0).idempotencyKey());
        assertEquals(120, predictions.get(0).quantity());
        assertEquals(0, reserved(tenant).signum(), "settled, not held any more");
    }

    @Test
    void aJobThatFailsRecordsNothingAndGivesItsPredictionsBack() {
        TestTenant tenant = TestTenant.signUp("Batch failure");
        String prices = fixtures.register(tenant.id(), "prices", TrainedModels.prices());
        // Same task, other columns: the model reads size, age and region.
        String version = Datasets.upload(tenant.owner().api(), "Numbers", "tabular_regression",
                GeneratedData.linear(90, 13), "target_column", "y");
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", prices, "dataset_version_id", version));
        await().atMost(BatchJobs.RUN).pollInterval(Duration.ofMillis(200)).until(() -> "failed".equals(
                tenant.owner().api().get("/v1/batch-predictions/" + id).then().extract().path("state")));
        tenant.owner().api().get("/v1/batch-predictions/" + id).then().body("error.code", equalTo("missing_features"))
                .body("error.message", containsString("size")).body("result", nullValue());
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + id + "/result"), 409, "result-not-ready");
        assertEquals(0, reserved(tenant).signum(), "the hold is given back");
        assertEquals(0, ledger.events(tenant.id()).stream().filter(e -> e.meter().equals("predictions")).count());
        assertEquals(null, footprint.storedBytesByTenant().get(tenant.id()), "no file left behind");
    }

    @Test
    void creationIsIdempotentWithAKey() {
        TestTenant tenant = TestTenant.signUp("Batch retrier");
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(80, 5));
        Map<String, Object> body = Map.of("model", model, "dataset_version_id", version, "format", "csv");
        String first = tenant.owner().api().header("Idempotency-Key", "nightly-1").body(body)
                .post("/v1/batch-predictions").then().statusCode(202).extract().path("id");
        tenant.owner().api().header("Idempotency-Key", "nightly-1").body(body).post("/v1/batch-predictions").then()
                .statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(first));
        Map<String, Object> other = new HashMap<>(body);
        other.put("format", "jsonl");
        assertProblem(tenant.owner().api().header("Idempotency-Key", "nightly-1").body(other)
                .post("/v1/batch-predictions"), 409, "idempotency-key-reused");
        tenant.owner().api().get("/v1/batch-predictions").then().body("data.size()", equalTo(1));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), first);
        assertEquals(1, ledger.events(tenant.id()).stream().filter(e -> e.meter().equals("predictions")).count());
    }

    @Test
    void badRequestsAreRefusedUpFrontNamingTheField() {
        TestTenant tenant = TestTenant.signUp("Batch validation");
        TestTenant other = TestTenant.signUp("Batch neighbour");
        String topics = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String prices = fixtures.register(tenant.id(), "prices", TrainedModels.prices());
        String foreignModel = fixtures.register(other.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(60, 6));
        String foreignVersion = Datasets.upload(other.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(60, 7));
        String tabular = Datasets.upload(tenant.owner().api(), "Numbers", "tabular_regression",
                GeneratedData.linear(60, 8), "target_column", "y");

        assertProblem(create(tenant, Map.of("model", "mdl_01jd7x9k2m3n4p5q6r7s8t9v0w", "dataset_version_id", version)),
                404, "not-found");
        assertProblem(create(tenant, Map.of("model", "no-such-alias", "dataset_version_id", version)), 404,
                "not-found");
        assertProblem(create(tenant, Map.of("model", foreignModel, "dataset_version_id", version)), 404, "not-found");
        assertProblem(create(tenant, Map.of("model", topics, "dataset_version_id", foreignVersion)), 404,
                "not-found");
        assertProblem(create(tenant, Map.of("model", topics, "dataset_version_id", tabular)), 422, "task-mismatch")
                .body("errors[0].field", equalTo("dataset_version_id"));
        assertProblem(create(tenant, Map.of("model", topics, "dataset_version_id", version, "format", "xlsx")), 400,
                "validation-failed").body("errors[0].field", equalTo("format"));
        assertProblem(create(tenant, Map.of("model", topics, "dataset_version_id", version, "top_k", 0)), 400,
                "validation-failed").body("errors[0].field", equalTo("top_k"));
        assertProblem(create(tenant, Map.of("model", prices, "dataset_version_id", tabular, "top_k", 2)), 422,
                "task-mismatch").body("errors[0].field", equalTo("top_k"));
        assertProblem(create(tenant, Map.of("model", topics)), 400, "validation-failed");
        // A job that answers predictions needs both scopes; a viewer may read but not start one.
        assertProblem(withKey(tenant.apiKey("jobs:write")).body(Map.of("model", topics, "dataset_version_id",
                version)).post("/v1/batch-predictions"), 403, "insufficient-scope");
        String both = tenant.apiKey("jobs:write", "predict");
        withKey(both).body(Map.of("model", topics, "dataset_version_id", version)).post("/v1/batch-predictions")
                .then().statusCode(202);
        assertProblem(tenant.addMember("viewer").api().body(Map.of("model", topics, "dataset_version_id", version))
                .post("/v1/batch-predictions"), 403, "insufficient-role");
        tenant.owner().api().get("/v1/batch-predictions").then().body("data.size()", equalTo(1));
    }

    @Test
    void anotherTenantsBatchPredictionIsNotFoundEverywhere() {
        TestTenant owner = TestTenant.signUp("Batch owner");
        TestTenant stranger = TestTenant.signUp("Batch stranger");
        String model = fixtures.register(owner.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(owner.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(60, 9));
        String id = BatchJobs.start(owner.owner().api(), Map.of("model", model, "dataset_version_id", version));
        BatchJobs.awaitSucceeded(() -> owner.owner().api(), id);

        String base = "/v1/batch-predictions/" + id;
        assertProblem(stranger.owner().api().get(base), 404, "not-found");
        assertProblem(stranger.owner().api().post(base + "/cancel"), 404, "not-found");
        assertProblem(stranger.owner().api().get(base + "/events"), 404, "not-found");
        assertProblem(stranger.owner().api().queryParam("stream", "true").get(base + "/events"), 404, "not-found");
        assertProblem(stranger.owner().api().get(base + "/result"), 404, "not-found");
        stranger.owner().api().get("/v1/batch-predictions").then().body("data.size()", equalTo(0));
        owner.owner().api().get(base + "/result").then().statusCode(200);
    }

    @Test
    void resultsCountAsStorageUntilTheRetentionSweepDeletesThem() {
        TestTenant tenant = TestTenant.signUp("Batch retention");
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(70, 12));
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id", version));
        long bytes = BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id).getLong("result.result_bytes");
        assertTrue(bytes > 0);
        // A file no job owns (a worker died between storing it and its job's end) is not billed and is swept.
        String stray = "tenants/" + tenant.id() + "/jobs/" + TypedId.generate("job") + "/predictions.csv";
        blobs.put(stray, new ByteArrayInputStream("row,split,value\n".getBytes(StandardCharsets.UTF_8)), 1024);
        assertEquals(bytes, footprint.storedBytesByTenant().get(tenant.id()));

        String prefix = "tenants/" + tenant.id() + "/";
        assertEquals(1, sweeper.sweep(prefix, Instant.now().minus(Duration.ofDays(1))), "only the stray file");
        assertFalse(blobs.exists(stray));
        tenant.owner().api().get("/v1/batch-predictions/" + id + "/result").then().statusCode(200);
        assertEquals(1, sweeper.sweep(prefix, Instant.now().plusSeconds(1)));
        assertProblem(tenant.owner().api().get("/v1/batch-predictions/" + id + "/result"), 410, "result-expired");
        tenant.owner().api().get("/v1/batch-predictions/" + id).then().body("state", equalTo("succeeded"));
        assertEquals(null, footprint.storedBytesByTenant().get(tenant.id()));
    }

    @Test
    void aHardPredictionsQuotaThatCannotCoverEveryRowRefusesWithNothingEnqueued() {
        TestTenant tenant = TestTenant.signUp("Batch quota");
        TestPlans.assign(tenant, TestPlans.hardQuota("predictions", 100));
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String big = Datasets.upload(tenant.owner().api(), "Many", "text_classification",
                GeneratedData.topics(150, 10));
        String small = Datasets.upload(tenant.owner().api(), "Few", "text_classification",
                GeneratedData.topics(60, 11));

        assertProblem(create(tenant, Map.of("model", model, "dataset_version_id", big)), 402, "quota-exceeded")
                .body("meter", equalTo("predictions"));
        tenant.owner().api().get("/v1/batch-predictions").then().body("data.size()", equalTo(0));
        tenant.owner().api().get("/v1/jobs").then().body("data.size()", equalTo(0));
        assertEquals(0, reserved(tenant).signum());

        String fits = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id", small));
        // 60 of 100 held: a second job of 60 rows would go past the quota before the first has run.
        assertProblem(create(tenant, Map.of("model", model, "dataset_version_id", small)), 402, "quota-exceeded");
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), fits);
        assertEquals(60, ledger.events(tenant.id()).stream().filter(e -> e.meter().equals("predictions"))
                .mapToLong(UsageLedger.Event::quantity).sum());
    }

    private static io.restassured.response.Response create(TestTenant tenant, Map<String, Object> body) {
        return tenant.owner().api().body(body).post("/v1/batch-predictions");
    }

    /** Queues a job that only sleeps, and waits until it runs. */
    private String holdTheJobSlot(TestTenant tenant, long millis) {
        Actor actor = new Actor(Actor.Type.SYSTEM, "test", "test", null, EnumSet.of(Permission.READ,
                Permission.JOBS_WRITE));
        String id = tenants.call(tenant.id(), actor, () -> jobs.enqueue("test_sleep", Map.of("sleep_ms", millis),
                Map.of(), 1, null).body().id());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "running".equals(
                tenant.owner().api().get("/v1/jobs/" + id).then().extract().path("state")));
        return id;
    }

    private BigDecimal reserved(TestTenant tenant) {
        return tenants.call(tenant.id(), Actor.system("test"), () -> quotas.status(Meter.PREDICTIONS).reserved());
    }
}

package io.modelyard.serving;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.PlatformProcess;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The split layout with real processes from the packaged jar: an {@code api} process that resolves, checks and
 * meters, forwarding to a separate {@code worker} process over internal HTTP with the shared secret; both on the
 * same test database and blob directory. The scene is set through the processes themselves: a tenant and its key
 * through the api's public API, models trained here and registered through the worker's benchmark door (the
 * model registry's own {@code register}, as a training job would).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingRolesIT {

    private static final String TOKEN = "roles-it-" + UUID.randomUUID();
    private static final Duration START = Duration.ofSeconds(180);
    private static final String DB = System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test");

    PlatformProcess worker;
    PlatformProcess api;
    TestTenant tenant;
    String key;
    String topics;
    String credit;

    @BeforeAll
    void twoProcesses() throws IOException {
        // A pattern like -Dtest='io.modelyard.serving.**' hands this class to surefire too, before the jar is
        // built; failsafe (which sets the jar's path) runs it after packaging.
        Assumptions.assumeTrue(System.getProperty("modelyard.app.jar") != null,
                "runs in the integration-test phase, against the packaged jar");
        String blobs = Files.createTempDirectory("modelyard-roles-blobs-").toString();
        worker = PlatformProcess.start("worker", Map.of("modelyard.internal.token", TOKEN,
                "modelyard.storage.dir", blobs, "modelyard.serving.predictors", "1",
                "quarkus.datasource.jdbc.max-size", "4",
                "modelyard.serving.bench.enabled", "true",
                "ai.djl.pytorch.num_threads", "1", "ai.djl.pytorch.num_interop_threads", "1"));
        api = PlatformProcess.start("api", Map.of("modelyard.serving.worker-url", worker.url(""),
                "modelyard.internal.token", TOKEN, "modelyard.storage.dir", blobs,
                // (a metering api process keeps three connections: two ledger writers and the billing thread)
                "quarkus.datasource.jdbc.max-size", "12"));
        worker.awaitReady(START);
        api.awaitReady(START);
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = URI.create(api.url("")).getPort();
        tenant = TestTenant.signUp("Split roles");
        key = tenant.apiKey("predict");
        topics = register(tenant.id(), "topics", TrainedModels.topics());
        credit = register(tenant.id(), "credit", TrainedModels.credit());
    }

    @AfterAll
    void stop() {
        RestAssured.reset();
        if (api != null) {
            api.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    private String register(String tenantId, String name, TrainedModels.Trained model) {
        return RestAssured.given().contentType("application/octet-stream").body(model.artifact())
                .queryParam("name", name)
                .post(worker.url("/bench/tenants/" + tenantId + "/models")).then().statusCode(200)
                .extract().path("id");
    }

    /** The tenant's usage events, read as the schema owner. */
    private static List<String[]> usage(String tenantId) {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + DB,
                "modelyard_owner", "modelyard_owner");
                PreparedStatement query = db.prepareStatement("select meter, quantity::bigint, idempotency_key"
                        + " from usage_events where tenant_id = ? order by occurred_at")) {
            query.setString(1, tenantId);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theApiForwardsToTheWorkerAndNeverLoadsPyTorch() {
        List<String> texts = List.of("The football final was great.", "The senate voted.");
        Map<String, Object> body = Map.of("inputs", texts, "top_k", 1);
        List<Prediction> expected;
        try (DjlLoadedModel here = DjlModelRuntime.open(TrainedModels.topics().artifact(), 1)) {
            expected = here.predict(texts.stream().map(PredictionInput::text).toList());
        }
        JsonPath answer = withKey(key).body(body).post(api.url("/v1/models/" + topics + "/predict")).then()
                .statusCode(200)
                .body("model_id", equalTo(topics))
                .body("data[0].label", equalTo("sport"))
                .body("data[1].label", equalTo("politics"))
                .extract().jsonPath();
        for (int r = 0; r < texts.size(); r++) {
            assertEquals(expected.get(r).confidence(), answer.getDouble("data[" + r + "].top_k[0].probability"), 1e-6);
        }
        withKey(key).body(Map.of("inputs", List.of(Map.of("name", "text", "shape", List.of(1), "datatype", "BYTES",
                "data", List.of("physics")))))
                .post(api.url("/v2/models/" + topics + "/infer")).then().statusCode(200)
                .body("outputs[0].data[0]", equalTo("science"));
        withKey(key).get(api.url("/v2/models/" + credit)).then().statusCode(200)
                .body("inputs.name", equalTo(List.of("income", "debt", "region")));
        withKey(key).body(Map.of("inputs", List.of(Map.of("income", 90_000, "debt", 1_000, "region", "north"))))
                .post(api.url("/v1/models/" + credit + "/predict")).then().statusCode(200)
                .body("data[0].label", equalTo("safe"));
        RestAssured.get(api.url("/v2/health/ready")).then().statusCode(200);

        List<String> mlClasses = api.loadedClasses().stream()
                .filter(c -> c.startsWith("ai.djl.") || c.startsWith("io.modelyard.ml.")).toList();
        assertEquals(List.of(), mlClasses, "the api role loaded machine-learning classes");
        assertFalse(api.nativeMappings().contains("libtorch"), "the api role mapped libtorch");
        assertTrue(api.loadedClasses().contains("io.modelyard.serving.internal.WorkerClient"),
                "the api process forwarded");
        assertTrue(worker.loadedClasses().stream().anyMatch(c -> c.startsWith("ai.djl.pytorch.")),
                "the worker ran the model");
    }

    @Test
    void aBatchPredictionIsCreatedOnTheApiAndRunsOnTheWorker() {
        TestTenant batch = TestTenant.signUp("Split batch");
        String batchKey = batch.apiKey("read", "datasets:write", "jobs:write", "predict");
        String model = register(batch.id(), "topics", TrainedModels.topics());
        String version = Datasets.upload(withKey(batchKey), "Texts", "text_classification",
                GeneratedData.topics(90, 14));
        String id = withKey(batchKey).body(Map.of("model", model, "dataset_version_id", version))
                .post(api.url("/v1/batch-predictions")).then().statusCode(202).extract().path("id");
        String[] state = new String[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    state[0] = withKey(batchKey).get(api.url("/v1/batch-predictions/" + id)).then().extract()
                            .path("state");
                    return List.of("succeeded", "failed", "cancelled").contains(state[0]);
                });
        assertEquals("succeeded", state[0]);
        String result = withKey(batchKey).get(api.url("/v1/batch-predictions/" + id + "/result")).then()
                .statusCode(200).extract().asString();
        assertEquals(90, result.lines().count());
        assertTrue(usage(batch.id()).stream().anyMatch(e -> e[0].equals("predictions") && e[1].equals("90")
                && e[2].equals("job:" + id + ":predictions")));
        assertEquals(List.of(), api.loadedClasses().stream()
                .filter(c -> c.startsWith("ai.djl.") || c.startsWith("io.modelyard.ml.")).toList(),
                "the api role loaded machine-learning classes");
    }

    @Test
    void theApiMetersWhatTheWorkerAnswered() {
        TestTenant metered = TestTenant.signUp("Split metering");
        String meteredKey = metered.apiKey("predict");
        String model = register(metered.id(), "topics", TrainedModels.topics());
        String id = withKey(meteredKey).body(Map.of("inputs", List.of("tennis", "chemistry")))
                .post(api.url("/v1/models/" + model + "/predict")).then().statusCode(200).extract().path("id");
        withKey(meteredKey).body(Map.of("inputs", List.of("tennis", " ")))
                .post(api.url("/v1/models/" + model + "/predict")).then().statusCode(400);
        List<String[]> events = usage(metered.id());
        List<String[]> predictions = events.stream().filter(e -> e[0].equals("predictions")).toList();
        assertEquals(1, predictions.size());
        assertEquals("2", predictions.get(0)[1]);
        assertEquals("prediction:" + id, predictions.get(0)[2]);
        // and one API request of the key: the successful one (the api process meters; the worker records
        // nothing), besides the owner's that made the key
        assertEquals(2, events.stream().filter(e -> e[0].equals("api_requests")).count());
        assertEquals(3, events.size());
    }

    @Test
    void theWorkersProblemsReachTheClientInOurTerms() {
        Map<String, Object> unknownFeature = new HashMap<>(Map.of("income", 1, "debt", 2, "region", "north"));
        unknownFeature.put("colour", "red");
        assertProblem(withKey(key).body(Map.of("inputs", List.of(Map.of("income", 1), unknownFeature)))
                .post(api.url("/v1/models/" + credit + "/predict")), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs[1].colour")).body("row", equalTo(1));
        assertProblem(withKey(key).body(Map.of("inputs", List.of(Map.of("name", "income", "shape", List.of(1),
                "datatype", "BYTES", "data", List.of("lots")))))
                .post(api.url("/v2/models/" + credit + "/infer")), 400, "validation-failed")
                .body("errors[0].field", equalTo("income[0]")).body("error", notNullValue());
        assertProblem(withKey(key).body(Map.of("inputs", List.of("x")))
                .post(api.url("/v1/models/mdl_01jd7x9k2m3n4p5q6r7s8t9v0w/predict")), 404, "not-found");

        String cold = register(tenant.id(), "cold", TrainedModels.topics());
        assertProblem(withKey(key).header("Prefer", "wait=0").body(Map.of("inputs", List.of("tennis")))
                .post(api.url("/v1/models/" + cold + "/predict")), 503, "model-loading")
                .header("Retry-After", notNullValue());
        withKey(key).body(Map.of("inputs", List.of("tennis"))).post(api.url("/v1/models/" + cold + "/predict"))
                .then().statusCode(200);
    }

    @Test
    void internalCallsNeedTheSharedSecret() {
        String call = "{\"model\": {\"id\": \"" + topics + "\"}, \"inputs\": [{\"text\": \"tennis\"}],"
                + " \"explain\": false, \"explain_tokens\": 0, \"wait_millis\": 1000}";
        assertProblem(RestAssured.given().contentType("application/json").body(call)
                .post(worker.url("/internal/v1/predict")), 401, "internal-unauthenticated");
        assertProblem(RestAssured.given().contentType("application/json").header("Modelyard-Internal-Token",
                TOKEN + "x").body(call).post(worker.url("/internal/v1/predict")), 401, "internal-unauthenticated");
        assertProblem(RestAssured.given().header("Modelyard-Internal-Token", TOKEN)
                .get(api.url("/internal/v1/health")), 404, "not-served-here");
        RestAssured.given().header("Modelyard-Internal-Token", TOKEN).get(worker.url("/internal/v1/health"))
                .then().statusCode(200);
        // the worker serves no public API, so a client cannot go around the api process
        assertProblem(withKey(key).body(Map.of("inputs", List.of("x")))
                .post(worker.url("/v1/models/" + topics + "/predict")), 404, "not-served-here");

        try (PlatformProcess unset = PlatformProcess.start("worker", Map.of()).awaitReady(START)) {
            assertProblem(RestAssured.given().contentType("application/json").header("Modelyard-Internal-Token", "")
                    .body(call).post(unset.url("/internal/v1/predict")), 403, "internal-token-unset");
        }
    }
}

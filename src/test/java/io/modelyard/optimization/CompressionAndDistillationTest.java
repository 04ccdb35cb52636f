package io.modelyard.optimization;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.api.Test;

/** Compression and distillation jobs over HTTP with the in-process worker, on models trained for the test. */
@QuarkusTest
class CompressionAndDistillationTest {

    private static final Duration JOB = Duration.ofMinutes(3);
    private static final String COMPRESS = "/v1/compression-jobs";
    private static final String DISTILL = "/v1/distillation-jobs";
    private static final Map<String, Object> SMALL_TEXT = Map.of("epochs", 6, "batch_size", 32,
            "learning_rate", 0.01, "embedding_size", 32, "hidden_size", 32, "max_sequence_length", 32,
            "vocabulary_size", 400);

    @Test
    void aPrunedAndQuantizedModelWithinTheToleranceIsRegisteredAndServedOneBelowItIsNot() {
        TestTenant tenant = TestTenant.signUp("Compressor");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 51));
        String source = trainedModel(tenant, version, "bag_of_embeddings");
        String job = OptimizationJobs.start(tenant.owner().api(), COMPRESS, Map.of("model_id", source,
                "pruning", Map.of("sparsity", 0.5, "fine_tune_epochs", 2), "quantization", "int8",
                "metadata", Map.of("release", "slim")));
        JsonPath done = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), COMPRESS, job, JOB);
        assertEquals("compression_job", done.getString("object"));
        assertEquals(true, done.getBoolean("result.registered"), done.prettify());
        assertEquals(true, done.getBoolean("result.guard.passed"));
        assertTrue(done.getDouble("result.guard.drop") <= 0.01);
        assertTrue(done.getLong("result.after.size_bytes") < 0.5 * done.getLong("result.before.size_bytes"),
                done.prettify());
        assertTrue(done.getDouble("result.after.zero_fraction") > 0.4, done.prettify());
        assertEquals("int8", done.getString("result.after.quantization"));
        assertNotNull(done.getDouble("result.before.latency_ms"));
        String compressed = done.getString("model_id");
        tenant.owner().api().get("/v1/models/" + compressed).then().statusCode(200)
                .body("name", equalTo("topics-compressed"))
                .body("training_job_id", equalTo(job))
                .body("training.compression.source_model_id", equalTo(source))
                .body("evaluation.classification.macro.f1", notNullValue());
        // served from the stored, quantized artifact like any model
        tenant.owner().api().body(Map.of("inputs", List.of(GeneratedData.topicText("sport", 3))))
                .post("/v1/models/" + compressed + "/predict").then().statusCode(200)
                .body("data[0].label", equalTo("sport"));
        tenant.owner().api().get(COMPRESS + "?metadata[release]=slim").then().body("data[0].id", equalTo(job));
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then()
                .body("data.findAll { it.job_id == '" + job + "' }.size()", equalTo(1));

        // The guard: 99.5 % of the weights gone and a fine-tuning too timid to recover, the F1 collapses and the
        // result is not registered; the work was done, so it is billed, once.
        String refused = OptimizationJobs.start(tenant.owner().api(), COMPRESS, Map.of("model_id", source,
                "pruning", Map.of("sparsity", 0.995, "fine_tune_epochs", 1, "learning_rate", 1e-7),
                "tolerance", 0.0));
        JsonPath guarded = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), COMPRESS, refused, JOB);
        assertEquals(false, guarded.getBoolean("result.registered"), guarded.prettify());
        assertEquals(false, guarded.getBoolean("result.guard.passed"));
        assertTrue(guarded.getDouble("result.after.macro_f1") < guarded.getDouble("result.before.macro_f1"));
        assertNull(guarded.getString("model_id"));
        tenant.owner().api().get("/v1/models").then().body("data.size()", equalTo(2));
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then()
                .body("data.findAll { it.job_id == '" + refused + "' }.size()", equalTo(1));
    }

    @Test
    void aStudentDistilledFromATeacherStaysCloseToItsF1() {
        TestTenant tenant = TestTenant.signUp("Distiller");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 53));
        String teacher = trainedModel(tenant, version, "text_cnn");
        String job = OptimizationJobs.start(tenant.owner().api(), DISTILL, Map.of("teacher_model_id", teacher,
                "student", Map.of("architecture", "linear", "hyperparameters", Map.of("epochs", 10)),
                "temperature", 2.0, "alpha", 0.7, "seed", 3));
        JsonPath done = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), DISTILL, job, JOB);
        assertEquals("distillation_job", done.getString("object"));
        double teacherF1 = done.getDouble("result.teacher.macro_f1");
        double studentF1 = done.getDouble("result.student.macro_f1");
        assertTrue(studentF1 >= 0.9 * teacherF1, "student " + studentF1 + ", teacher " + teacherF1);
        assertTrue(done.getLong("result.student.size_bytes") < done.getLong("result.teacher.size_bytes"));
        assertTrue(done.getDouble("result.student.latency_ms") > 0);
        assertEquals(studentF1 / teacherF1, done.getDouble("result.f1_ratio"), 1e-3);
        tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then().statusCode(200)
                .body("architecture", equalTo("linear"))
                .body("name", equalTo("topics-student"))
                .body("training.distillation.teacher_model_id", equalTo(teacher));
        // the student's per-epoch metrics are events of the job
        assertFalse(tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100").then().extract().jsonPath()
                .getList("data.findAll { it.type == 'metric' }").isEmpty());
    }

    @Test
    void badRequestsNameTheFieldAnotherTenantsJobsAndModelsAre404() {
        TestTenant tenant = TestTenant.signUp("Careless optimizer");
        TestTenant other = TestTenant.signUp("Other optimizer");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 54));
        String prices = Datasets.upload(tenant.owner().api(), "Prices", "tabular_regression",
                GeneratedData.linear(200, 55), "target_column", "y");
        String model = trainedModel(tenant, version, "linear");
        String regressor = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), "/v1/training-jobs",
                OptimizationJobs.start(tenant.owner().api(), "/v1/training-jobs", Map.of("dataset_version_id",
                        prices, "architecture", "linear")), JOB).getString("model_id");

        assertProblem(tenant.owner().api().body(Map.of("model_id", model)).post(COMPRESS), 400,
                "validation-failed").body("errors[0].field", equalTo("pruning"));
        assertProblem(tenant.owner().api().body(Map.of("model_id", model, "pruning", Map.of("sparsity", 1.5)))
                .post(COMPRESS), 400, "validation-failed").body("errors[0].field", equalTo("pruning.sparsity"));
        assertProblem(tenant.owner().api().body(Map.of("model_id", model, "quantization", "int4")).post(COMPRESS),
                400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of("model_id", model, "quantization", "int8", "tolerance", -1))
                .post(COMPRESS), 400, "validation-failed").body("errors[0].field", equalTo("tolerance"));
        assertProblem(tenant.owner().api().body(Map.of("model_id", regressor, "quantization", "int8"))
                .post(COMPRESS), 422, "task-mismatch").body("errors[0].field", equalTo("model_id"));
        assertProblem(tenant.owner().api().body(Map.of("model_id", model, "quantization", "int8",
                "dataset_version_id", prices)).post(COMPRESS), 422, "task-mismatch")
                .body("errors[0].field", equalTo("dataset_version_id"));
        assertProblem(tenant.owner().api().body(Map.of("model_id", "mdl_nope", "quantization", "int8"))
                .post(COMPRESS), 404, "not-found");
        assertProblem(tenant.owner().api().body(Map.of("teacher_model_id", model, "temperature", 0)).post(DISTILL),
                400, "validation-failed").body("errors[0].field", equalTo("temperature"));
        assertProblem(tenant.owner().api().body(Map.of("teacher_model_id", model, "student",
                Map.of("architecture", "mlp"))).post(DISTILL), 400, "validation-failed")
                .body("errors[0].field", equalTo("student.architecture"));
        assertProblem(tenant.owner().api().body(Map.of("teacher_model_id", model, "student",
                Map.of("hyperparameters", Map.of("learning_rate", -1)))).post(DISTILL), 400, "validation-failed")
                .body("errors[0].field", equalTo("student.learning_rate"));
        assertProblem(tenant.owner().api().body(Map.of("teacher_model_id", regressor)).post(DISTILL), 422,
                "task-mismatch").body("errors[0].field", equalTo("teacher_model_id"));
        tenant.owner().api().get(COMPRESS).then().body("data.size()", equalTo(0));
        tenant.owner().api().get(DISTILL).then().body("data.size()", equalTo(0));
        tenant.owner().api().body(Map.of("model_id", model, "quantization", "fp16", "dry_run", true)).post(COMPRESS)
                .then().statusCode(200).body("object", equalTo("compression_estimate"));

        // another tenant: the model is not theirs, nor are the jobs
        assertProblem(other.owner().api().body(Map.of("model_id", model, "quantization", "int8")).post(COMPRESS),
                404, "not-found");
        assertProblem(other.owner().api().body(Map.of("teacher_model_id", model)).post(DISTILL), 404,
                "not-found");
        Map<String, Object> body = new HashMap<>(Map.of("model_id", model, "quantization", "int8"));
        String compression = tenant.owner().api().header("Idempotency-Key", "squeeze").body(body).post(COMPRESS)
                .then().statusCode(202).extract().path("id");
        tenant.owner().api().header("Idempotency-Key", "squeeze").body(body).post(COMPRESS).then().statusCode(202)
                .body("id", equalTo(compression));
        String distillation = OptimizationJobs.start(tenant.owner().api(), DISTILL, Map.of("teacher_model_id",
                model, "student", Map.of("architecture", "linear", "hyperparameters", Map.of("epochs", 2))));
        for (String path : List.of(COMPRESS, DISTILL)) {
            for (String id : List.of(compression, distillation, TypedId.generate("job"))) {
                assertProblem(other.owner().api().get(path + "/" + id), 404, "not-found");
                assertProblem(other.owner().api().post(path + "/" + id + "/cancel"), 404, "not-found");
                assertProblem(other.owner().api().get(path + "/" + id + "/events"), 404, "not-found");
            }
            other.owner().api().get(path).then().body("data.size()", equalTo(0));
        }
        // a compression job is not a distillation job
        assertProblem(tenant.owner().api().get(DISTILL + "/" + compression), 404, "not-found");
        OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), COMPRESS, compression, JOB);
        OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), DISTILL, distillation, JOB);
    }

    private static String trainedModel(TestTenant tenant, String version, String architecture) {
        String job = OptimizationJobs.start(tenant.owner().api(), "/v1/training-jobs", Map.of("dataset_version_id",
                version, "architecture", architecture, "hyperparameters", SMALL_TEXT, "seed", 7));
        return OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), "/v1/training-jobs", job, JOB)
                .getString("model_id");
    }

    private static void assertNotNull(Object value) {
        org.junit.jupiter.api.Assertions.assertNotNull(value);
    }
}

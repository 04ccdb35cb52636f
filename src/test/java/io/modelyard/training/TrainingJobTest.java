package io.modelyard.training;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upload, train each architecture briefly, read a sane evaluation on the split the model never saw. */
@QuarkusTest
class TrainingJobTest {

    private static final Duration TRAINING = Duration.ofMinutes(3);

    @Test
    void everyTextArchitectureLearnsASeparableDatasetAndIsEvaluatedOnHeldOutRows() {
        TestTenant tenant = TestTenant.signUp("Text trainer");
        String version = Datasets.upload(tenant.owner().api(), "News topics", "text_classification",
                GeneratedData.topics(500, 1));
        for (String architecture : List.of("bag_of_embeddings", "text_cnn", "bilstm", "transformer")) {
            Map<String, Object> body = new HashMap<>(Map.of("dataset_version_id", version,
                    "architecture", architecture, "hyperparameters", TrainingJobs.TINY, "seed", 7,
                    "suffix", architecture.replace('_', '-')));
            String job = TrainingJobs.start(tenant.owner().api(), body);
            JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
            String modelId = done.getString("model_id");
            JsonPath model = tenant.owner().api().get("/v1/models/" + modelId).then().statusCode(200)
                    .body("architecture", equalTo(architecture))
                    .body("dataset_version_id", equalTo(version))
                    .body("training_job_id", equalTo(job))
                    .body("labels", equalTo(GeneratedData.TOPICS.stream().sorted().toList()))
                    .extract().jsonPath();
            double accuracy = model.getDouble("evaluation.classification.accuracy");
            assertTrue(accuracy >= 0.95, architecture + " reached only " + accuracy + " on the test split");
            long support = model.getLong("evaluation.classification.support");
            assertEquals(model.getLong("training.samples_processed") > 0, true);
            assertTrue(support >= 40 && support <= 60, "test split of about 10%: " + support);
        }
    }

    @Test
    void theClassicKerasLstmRecipeTrainsOnBinarySentiment() {
        TestTenant tenant = TestTenant.signUp("Keras fan");
        String version = Datasets.upload(tenant.owner().api(), "Reviews", "text_classification",
                GeneratedData.sentiment(400, 3), "label_column", "sentiment");
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "architecture", "lstm_classic", "hyperparameters", Map.of("epochs", 4, "learning_rate", 0.01)));
        JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then()
                .body("hyperparameters.vocabulary_size", equalTo(1000))
                .body("hyperparameters.embedding_size", equalTo(64))
                .body("hyperparameters.max_sequence_length", equalTo(100))
                .body("hyperparameters.optimizer", equalTo("adam"))
                .body("evaluation.classification.accuracy", greaterThan(0.9f));
    }

    @Test
    void shuffledLabelsScoreAboutChanceSoNoTestRowLeaksIntoTraining() {
        TestTenant tenant = TestTenant.signUp("Leak guard");
        String version = Datasets.upload(tenant.owner().api(), "Shuffled", "text_classification",
                GeneratedData.shuffledTopics(600, 5));
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY, "seed", 3));
        JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        double accuracy = tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then()
                .extract().jsonPath().getDouble("evaluation.classification.accuracy");
        assertTrue(accuracy < 0.6, "three shuffled classes should score near 1/3, got " + accuracy);
    }

    @Test
    void tabularClassificationAndRegressionTrainAnMlp() {
        TestTenant tenant = TestTenant.signUp("Tabular");
        String classes = Datasets.upload(tenant.owner().api(), "Credit", "tabular_classification",
                GeneratedData.tabularClasses(600, 11), "target_column", "label");
        String regression = Datasets.upload(tenant.owner().api(), "Prices", "tabular_regression",
                GeneratedData.linear(600, 13), "target_column", "y");
        Map<String, Object> mlp = Map.of("epochs", 30, "batch_size", 32, "learning_rate", 0.01, "hidden_size", 32,
                "layers", 2);
        JsonPath classifier = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), TrainingJobs.start(
                tenant.owner().api(), Map.of("dataset_version_id", classes, "hyperparameters", mlp)), TRAINING);
        JsonPath regressor = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), TrainingJobs.start(
                tenant.owner().api(), Map.of("dataset_version_id", regression, "hyperparameters", mlp)), TRAINING);
        tenant.owner().api().get("/v1/models/" + classifier.getString("model_id")).then()
                .body("architecture", equalTo("mlp"))
                .body("evaluation.classification.accuracy", greaterThan(0.95f));
        tenant.owner().api().get("/v1/models/" + regressor.getString("model_id")).then()
                .body("task", equalTo("tabular_regression"))
                .body("evaluation.regression.r2", greaterThan(0.9f))
                .body("evaluation.regression.mae", notNullValue());
    }

    @Test
    void aJobReportsPerEpochMetricsProgressAndCompute() {
        TestTenant tenant = TestTenant.signUp("Observer");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 21));
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", TrainingJobs.TINY, "metadata", Map.of("team", "search")));
        TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        JsonPath events = tenant.owner().api().get("/v1/training-jobs/" + job + "/events?limit=100").then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> metrics = events.getList("data.findAll { it.type == 'metric' }.data");
        assertEquals(6, metrics.size(), "one metrics event per epoch");
        assertTrue(metrics.get(0).keySet().containsAll(List.of("epoch", "train_loss", "val_loss", "val_accuracy",
                "val_f1")), metrics.get(0).toString());
        tenant.owner().api().get("/v1/training-jobs/" + job).then()
                .body("progress", equalTo(100.0f))
                .body("metadata.team", equalTo("search"));
        tenant.owner().api().get("/v1/training-jobs?metadata[team]=search").then()
                .body("data.id", hasItems(job));
        tenant.owner().api().get("/v1/audit-events?action=model.created").then()
                .body("data[0].details.training_job_id", equalTo(job));
    }

    @Test
    void invalidRequestsNameTheFieldAndStartNothing() {
        TestTenant tenant = TestTenant.signUp("Careless");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 2));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version,
                "hyperparameters", Map.of("learning_rate", -1))).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("learning_rate"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "transformer",
                "hyperparameters", Map.of("embedding_size", 64, "heads", 3))).post("/v1/training-jobs"), 400,
                "validation-failed").body("errors[0].field", equalTo("heads"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "mlp"))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("architecture"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version,
                "hyperparameters", Map.of("epochz", 3))).post("/v1/training-jobs"), 400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "resnet"))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("architecture"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "task", "tabular_regression"))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("task"));
        assertProblem(tenant.owner().api().body(Map.of()).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("dataset_version_id"));
        tenant.owner().api().get("/v1/training-jobs").then().body("data.size()", equalTo(0));
    }

    @Test
    void aDryRunEstimatesWithoutStartingAnything() {
        TestTenant tenant = TestTenant.signUp("Estimator");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 4));
        tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "bilstm", "dry_run", true))
                .post("/v1/training-jobs").then().statusCode(200)
                .body("object", equalTo("training_estimate"))
                .body("estimated_compute_seconds", greaterThan(0))
                .body("meter", equalTo("training_cpu_seconds"))
                .body("training_rows", greaterThan(200))
                .body("price.meter", equalTo("training_cpu_seconds"))
                .body("price.currency", notNullValue())
                .body("price.within_quota", equalTo(true));
        tenant.owner().api().get("/v1/training-jobs").then().body("data.size()", equalTo(0));
    }

    @Test
    void aJobTheComputeQuotaCannotCoverIsRefusedUpFrontAndTheEstimateSaysSo() {
        TestTenant tenant = TestTenant.signUp("Thrifty trainer");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 5));
        TestPlans.assign(tenant, TestPlans.create(Map.of("training_cpu_seconds",
                TestPlans.terms(3, "hard", 3L, 0.5)), 100_000, 100_000, 100_000, 100_000));
        Map<String, Object> body = Map.of("dataset_version_id", version, "architecture", "bilstm");

        JsonPath estimate = tenant.owner().api().body(withDryRun(body)).post("/v1/training-jobs").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(false, estimate.getBoolean("price.within_quota"));
        assertEquals(3, estimate.getInt("price.limit"));

        assertProblem(tenant.owner().api().body(body).post("/v1/training-jobs"), 402, "quota-exceeded")
                .body("meter", equalTo("training_cpu_seconds")).body("limit", equalTo(3))
                .body("resets_at", notNullValue());
        tenant.owner().api().get("/v1/training-jobs").then().body("data.size()", equalTo(0));
        tenant.owner().api().get("/v1/jobs").then().body("data.size()", equalTo(0));
    }

    private static Map<String, Object> withDryRun(Map<String, Object> body) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put("dry_run", true);
        return copy;
    }
}

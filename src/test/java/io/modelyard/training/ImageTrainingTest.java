package io.modelyard.training;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.vision.SyntheticShapes;
import io.modelyard.testing.ImageZips;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Image classification end to end: a zip of generated shapes is uploaded, each image architecture trains on
 * it through a job, and the model answers predictions on base64 images; a URL, bad base64 or a non-image is
 * refused, and another tenant cannot reach the model.
 */
@QuarkusTest
class ImageTrainingTest {

    private static final Duration TRAINING = Duration.ofMinutes(4);
    private static final List<String> CLASSES = SyntheticShapes.CLASSES.subList(0, 3);

    @Test
    void eachImageArchitectureTrainsAndTheModelPredictsImages() {
        TestTenant tenant = TestTenant.signUp("Image trainer");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String version = tenant.owner().api().contentType("application/zip").queryParam("task",
                "image_classification").queryParam("name", "shapes").body(ImageZips.shapes(900, 32, 3, 11))
                .post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");

        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "architecture", "cnn_small", "hyperparameters", Map.of("epochs", 15, "batch_size", 32,
                        "learning_rate", 0.003, "schedule", "cosine", "early_stopping_patience", 0), "seed", 3));
        JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        String model = done.getString("model_id");
        double accuracy = tenant.owner().api().get("/v1/models/" + model).then().statusCode(200)
                .body("task", equalTo("image_classification")).body("architecture", equalTo("cnn_small"))
                .body("evaluation.classification.confusion_matrix.labels", equalTo(CLASSES))
                .extract().jsonPath().getDouble("evaluation.classification.accuracy");
        assertTrue(accuracy >= 0.7, () -> "cnn_small reached only " + accuracy + " on the test split (chance is 0.33)"
                + "; events: " + tenant.owner().api().get("/v1/training-jobs/" + job + "/events?limit=100").then()
                .extract().path("data.collect { it.type + ' ' + it.data }"));

        assertMistakesListed(tenant, model, version);

        // Transfer: a new two-class dataset starts from the trained model — its convolutional body copied and
        // frozen, a new head for the new labels — and learns from a handful of epochs.
        String twoClasses = tenant.owner().api().contentType("application/zip").queryParam("task",
                "image_classification").queryParam("name", "two shapes").body(ImageZips.shapes(240, 32, 2, 12))
                .post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");
        String transfer = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", twoClasses,
                "init_from_model", model, "freeze", "encoder", "hyperparameters", Map.of("epochs", 2)));
        tenant.owner().api().get("/v1/training-jobs/" + transfer).then().body("architecture", equalTo("cnn_small"))
                .body("transfer.freeze", equalTo("encoder"));
        String transferred = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), transfer, TRAINING)
                .getString("model_id");
        tenant.owner().api().get("/v1/models/" + transferred).then().statusCode(200)
                .body("labels", equalTo(CLASSES.subList(0, 2)));
        List<String> messages = tenant.owner().api().get("/v1/jobs/" + transfer + "/events?limit=100").then()
                .extract().jsonPath().getList("data.findAll { it.type == 'message' }.data.message");
        assertTrue(messages.stream().anyMatch(m -> m.contains("from the source model; new head")), messages::toString);
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", twoClasses, "init_from_model", model,
                "freeze", "embedding")).post("/v1/training-jobs"), 400, "validation-failed");

        for (String architecture : List.of("resnet", "vgg")) {
            String other = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                    "architecture", architecture, "hyperparameters", Map.of("epochs", 1, "batch_size", 32,
                            "hidden_size", 8)));
            String barelyTrained = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), other, TRAINING)
                    .getString("model_id");
            assertMistakesListed(tenant, barelyTrained, version);
        }

        String key = tenant.apiKey("predict");
        String circle = Base64.getEncoder().encodeToString(ImageZips.png(32, 99));
        TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("image", circle),
                Map.of("image", "data:image/png;base64," + circle))))
                .post("/v1/models/" + model + "/predict").then().statusCode(200)
                .body("data", hasSize(2)).body("data[0].label", in(CLASSES))
                .body("data[0].probabilities.size()", equalTo(3));
        JsonPath explained = TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("image", circle)),
                "explain", true)).post("/v1/models/" + model + "/predict").then().statusCode(200)
                .body("data[0].explanation.occlusion", hasSize(8)).body("data[0].explanation.occlusion[0]", hasSize(8))
                .body("usage.predictions", equalTo(1 + 65)).extract().jsonPath();
        assertEquals(explained.getString("data[0].label"), explained.getString("data[0].explanation.label"));
        TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("name", "image", "shape", List.of(1),
                "datatype", "BYTES", "data", List.of(circle)))))
                .post("/v2/models/" + model + "/infer").then().statusCode(200)
                .body("outputs[0].data[0]", in(CLASSES));

        // The same as files, the way a form or curl -F sends them: one 'image' part per input, in order.
        JsonPath parts = multipart(key).multiPart("image", "circle.png", ImageZips.png(32, 99), "image/png")
                .multiPart("image", "other.png", ImageZips.png(48, 7), "image/png").multiPart("explain", "true")
                .post("/v1/models/" + model + "/predict").then().statusCode(200).body("data", hasSize(2))
                .body("data[1].explanation.occlusion", hasSize(8)).body("usage.predictions", equalTo(2 + 2 * 65))
                .extract().jsonPath();
        assertEquals(explained.getString("data[0].label"), parts.getString("data[0].label"));
        assertProblem(multipart(key).multiPart("file", "circle.png", ImageZips.png(32, 99), "image/png")
                .post("/v1/models/" + model + "/predict"), 400, "validation-failed")
                .body("errors[0].field", equalTo("file"));
        assertProblem(multipart(key).multiPart("explain", "true").post("/v1/models/" + model + "/predict"), 400,
                "validation-failed").body("errors[0].field", equalTo("image"));
        assertProblem(multipart(key).multiPart("image", "huge.png", new byte[4 * 1024 * 1024 + 1], "image/png")
                .post("/v1/models/" + model + "/predict"), 413, "image-too-large");
        assertProblem(multipart(key).multiPart("image", "notes.txt", "not an image".getBytes(), "text/plain")
                .post("/v1/models/" + model + "/predict"), 400, "validation-failed");

        assertProblem(TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("image",
                "https://example.com/cat.png")))).post("/v1/models/" + model + "/predict"), 400, "validation-failed");
        assertProblem(TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("image", "not base64!"))))
                .post("/v1/models/" + model + "/predict"), 400, "validation-failed");
        assertProblem(TestTenant.withKey(key).body(Map.of("inputs", List.of(Map.of("image",
                Base64.getEncoder().encodeToString("plain text, not an image".getBytes())))))
                .post("/v1/models/" + model + "/predict"), 400, "validation-failed");
        assertProblem(TestTenant.withKey(key).body(Map.of("inputs", List.of("a text")))
                .post("/v1/models/" + model + "/predict"), 400, "task-mismatch");

        TestTenant stranger = TestTenant.signUp("Image stranger");
        assertProblem(TestTenant.withKey(stranger.apiKey("predict")).body(Map.of("inputs",
                List.of(Map.of("image", circle)))).post("/v1/models/" + model + "/predict"), 404, "not-found");
        assertProblem(multipart(stranger.apiKey("predict")).multiPart("image", "circle.png", ImageZips.png(32, 99),
                "image/png").post("/v1/models/" + model + "/predict"), 404, "not-found");
        assertProblem(stranger.owner().api().body(Map.of("dataset_version_id", version, "architecture",
                "cnn_small")).post("/v1/training-jobs"), 404, "not-found");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "mlp"))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("architecture"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters",
                Map.of("image_size", 48))).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("image_size"));
    }

    private static io.restassured.specification.RequestSpecification multipart(String key) {
        return TestTenant.withKey(key).contentType("multipart/form-data");
    }

    /**
     * The evaluation's most confident mistakes are the confusion matrix's off-diagonal cells (up to 24), most
     * confident first, each an image of the version's test split whose thumbnail the tenant can fetch.
     */
    private static void assertMistakesListed(TestTenant tenant, String model, String version) {
        JsonPath evaluation = tenant.owner().api().get("/v1/models/" + model).then().statusCode(200)
                .extract().jsonPath().setRootPath("evaluation.classification");
        List<List<Integer>> counts = evaluation.getList("confusion_matrix.counts");
        int wrong = 0;
        for (int a = 0; a < counts.size(); a++) {
            for (int p = 0; p < counts.size(); p++) {
                wrong += a == p ? 0 : counts.get(a).get(p);
            }
        }
        List<Map<String, Object>> mistakes = evaluation.getList("mistakes");
        assertEquals(Math.min(24, wrong), mistakes.size(), () -> "mistakes " + mistakes + " for " + counts);
        JsonPath gallery = tenant.owner().api().get("/v1/dataset-versions/" + version + "/images?limit=1000")
                .then().statusCode(200).body("has_more", equalTo(false)).extract().jsonPath();
        double previous = 1.0;
        for (Map<String, Object> mistake : mistakes) {
            double confidence = ((Number) mistake.get("confidence")).doubleValue();
            assertTrue(confidence <= previous && confidence >= 1.0 / CLASSES.size() - 1e-6, () -> "" + mistakes);
            previous = confidence;
            assertTrue(!mistake.get("actual").equals(mistake.get("predicted")), () -> "" + mistake);
            String image = (String) mistake.get("image_id");
            assertEquals("test", gallery.getString("data.find { it.id == '" + image + "' }.split"), image);
            assertEquals(mistake.get("actual"), gallery.getString("data.find { it.id == '" + image + "' }.label"));
            tenant.owner().api().get("/v1/dataset-versions/" + version + "/images/" + image + "/thumbnail")
                    .then().statusCode(200);
        }
    }
}

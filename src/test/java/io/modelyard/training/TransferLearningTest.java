package io.modelyard.training;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.TypedId;
import io.modelyard.storage.BlobStore;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TorchScriptEncoders;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fine-tuning an earlier model on a new label set, and embeddings initialised from uploaded word vectors. */
@QuarkusTest
class TransferLearningTest {

    @Inject
    BlobStore blobs;

    private static final Duration TRAINING = Duration.ofMinutes(3);

    @Test
    void anEarlierModelIsFineTunedOnANewLabelSetWithItsEmbeddingFrozen() {
        TestTenant tenant = TestTenant.signUp("Fine tuner");
        String topics = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 71));
        String source = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), TrainingJobs.start(
                tenant.owner().api(), Map.of("dataset_version_id", topics, "hyperparameters", TrainingJobs.TINY)),
                TRAINING).getString("model_id");
        String sportOrNot = Datasets.upload(tenant.owner().api(), "Sport or not", "text_classification",
                GeneratedData.topics(300, 72).replace(",politics\n", ",other\n").replace(",science\n", ",other\n"));

        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", sportOrNot,
                "init_from_model", source, "freeze", "embedding", "hyperparameters", Map.of("epochs", 4)));
        tenant.owner().api().get("/v1/training-jobs/" + job).then()
                .body("architecture", equalTo("bag_of_embeddings"))
                .body("transfer.init_from_model", equalTo(source))
                .body("transfer.freeze", equalTo("embedding"))
                .body("hyperparameters.embedding_size", equalTo(16))
                .body("hyperparameters.epochs", equalTo(4));
        JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        JsonPath model = tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then().statusCode(200)
                .body("labels", equalTo(List.of("other", "sport"))).extract().jsonPath();
        assertTrue(model.getDouble("evaluation.classification.accuracy") >= 0.9, model.prettify());
        List<String> messages = tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100").then().extract()
                .jsonPath().getList("data.findAll { it.type == 'message' }.data.message");
        assertTrue(messages.stream().anyMatch(m -> m.contains("from the source model; new head")), messages.toString());
    }

    @Test
    void uploadedWordVectorsInitialiseTheEmbeddings() {
        TestTenant tenant = TestTenant.signUp("Vector owner");
        TestTenant other = TestTenant.signUp("Vector other");
        String topics = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 73));
        String vectors = tenant.owner().api().contentType("text/plain").queryParam("name", "topics-8d")
                .body(vectorsFile()).post("/v1/word-vectors").then().statusCode(201)
                .body("object", equalTo("word_vectors")).body("dimensions", equalTo(8))
                .extract().path("id");
        tenant.owner().api().get("/v1/word-vectors").then().body("data[0].id", equalTo(vectors));

        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", topics,
                "architecture", "bag_of_embeddings", "word_vectors_id", vectors,
                "hyperparameters", Map.of("epochs", 4, "vocabulary_size", 300)));
        JsonPath done = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING);
        tenant.owner().api().get("/v1/models/" + done.getString("model_id")).then()
                .body("hyperparameters.embedding_size", equalTo(8));
        List<String> messages = tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100").then().extract()
                .jsonPath().getList("data.findAll { it.type == 'message' }.data.message");
        assertTrue(messages.stream().anyMatch(m -> m.matches("initialised the embeddings of \\d+ of \\d+ .*")),
                messages.toString());

        // refusals keep nothing and name what is wrong
        assertProblem(tenant.owner().api().contentType("text/plain").queryParam("name", "bad")
                .body("alpha 0.1 0.2\nbeta 0.1\n").post("/v1/word-vectors"), 422, "invalid-word-vectors")
                .body("row", equalTo(2));
        assertProblem(tenant.owner().api().contentType("text/plain").body("alpha 0.1\n").post("/v1/word-vectors"),
                400, "validation-failed").body("errors[0].field", equalTo("name"));
        // A retried upload with an Idempotency-Key answers the first upload again and keeps no second copy.
        String keyed = tenant.owner().api().contentType("text/plain").queryParam("name", "retried")
                .header("Idempotency-Key", "wv-1").body(vectorsFile()).post("/v1/word-vectors").then()
                .statusCode(201).extract().path("id");
        tenant.owner().api().contentType("text/plain").queryParam("name", "retried")
                .header("Idempotency-Key", "wv-1").body(vectorsFile()).post("/v1/word-vectors").then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(keyed));
        assertProblem(tenant.owner().api().contentType("text/plain").queryParam("name", "another")
                .header("Idempotency-Key", "wv-1").body(vectorsFile()).post("/v1/word-vectors"), 409,
                "idempotency-key-reused");
        tenant.owner().api().delete("/v1/word-vectors/" + keyed).then().statusCode(204);
        assertEquals(1, storedFiles(tenant, "word-vectors"), "only the accepted uploads are kept, each once");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "word_vectors_id", vectors,
                "hyperparameters", Map.of("embedding_size", 16))).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("embedding_size"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "word_vectors_id", vectors,
                "architecture", "linear")).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("word_vectors_id"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "freeze", "encoder"))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("freeze"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "freeze", "everything"))
                .post("/v1/training-jobs"), 400, "validation-failed");
        String prices = Datasets.upload(tenant.owner().api(), "Prices", "tabular_regression",
                GeneratedData.linear(200, 74), "target_column", "y");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", prices, "init_from_model",
                done.getString("model_id"))).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("init_from_model"));

        // another tenant sees neither the vectors nor the model
        for (String id : List.of(vectors, TypedId.generate("wv"))) {
            assertProblem(other.owner().api().get("/v1/word-vectors/" + id), 404, "not-found");
            assertProblem(other.owner().api().delete("/v1/word-vectors/" + id), 404, "not-found");
        }
        String foreignTopics = Datasets.upload(other.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 75));
        assertProblem(other.owner().api().body(Map.of("dataset_version_id", foreignTopics, "word_vectors_id",
                vectors)).post("/v1/training-jobs"), 404, "not-found");
        assertProblem(other.owner().api().body(Map.of("dataset_version_id", foreignTopics, "init_from_model",
                done.getString("model_id"))).post("/v1/training-jobs"), 404, "not-found");
        other.owner().api().get("/v1/word-vectors").then().body("data.size()", equalTo(0));

        // the list pages newest first, by cursor
        String newer = tenant.owner().api().contentType("text/plain").queryParam("name", "topics-8d-again")
                .body(vectorsFile()).post("/v1/word-vectors").then().statusCode(201).extract().path("id");
        tenant.owner().api().get("/v1/word-vectors?limit=1").then().body("data.id", equalTo(List.of(newer)))
                .body("has_more", equalTo(true)).body("next_cursor", equalTo(newer));
        tenant.owner().api().get("/v1/word-vectors?limit=1&after=" + newer).then()
                .body("data.id", equalTo(List.of(vectors))).body("has_more", equalTo(false));
        assertProblem(tenant.owner().api().get("/v1/word-vectors?after=" + done.getString("model_id")), 400,
                "validation-failed").body("errors[0].field", equalTo("after"));
        tenant.owner().api().delete("/v1/word-vectors/" + newer).then().statusCode(204);

        tenant.owner().api().delete("/v1/word-vectors/" + vectors).then().statusCode(204);
        assertProblem(tenant.owner().api().get("/v1/word-vectors/" + vectors), 404, "not-found");
        assertEquals(0, storedFiles(tenant, "word-vectors"), "the file went with its record");
    }

    @Test
    void aHeadIsTrainedOnAnImportedTorchScriptEncoder() {
        TestTenant tenant = TestTenant.signUp("Encoder owner");
        TestTenant other = TestTenant.signUp("Encoder other");
        String topics = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 76));
        byte[] zip = TorchScriptEncoders.meanOfVectors(encoderVectors());
        String encoder = tenant.owner().api().contentType("application/zip").queryParam("name", "topics-encoder")
                .body(zip).post("/v1/encoders").then().statusCode(201)
                .body("object", equalTo("imported_encoder")).body("vocabulary_size", equalTo(2 + 24))
                .extract().path("id");
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", topics,
                "architecture", "imported_encoder", "encoder_id", encoder, "hyperparameters", Map.of("epochs", 6,
                        "learning_rate", 0.05)));
        tenant.owner().api().get("/v1/training-jobs/" + job).then().body("transfer.encoder_id", equalTo(encoder));
        String model = TrainingJobs.awaitSucceeded(() -> tenant.owner().api(), job, TRAINING).getString("model_id");
        tenant.owner().api().get("/v1/models/" + model).then().body("architecture", equalTo("imported_encoder"));
        tenant.owner().api().body(Map.of("inputs", List.of(GeneratedData.topicText("science", 4))))
                .post("/v1/models/" + model + "/predict").then().statusCode(200)
                .body("data[0].label", equalTo("science"));

        assertProblem(tenant.owner().api().contentType("application/zip").queryParam("name", "broken")
                .body(new byte[] {'P', 'K', 3, 4, 0}).post("/v1/encoders"), 422, "invalid-encoder");
        assertEquals(1, storedFiles(tenant, "encoders"), "the refused zip was not kept");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "architecture",
                "imported_encoder")).post("/v1/training-jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("encoder_id"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", topics, "encoder_id", encoder))
                .post("/v1/training-jobs"), 400, "validation-failed").body("errors[0].field", equalTo("architecture"));
        for (String id : List.of(encoder, TypedId.generate("enc"))) {
            assertProblem(other.owner().api().get("/v1/encoders/" + id), 404, "not-found");
            assertProblem(other.owner().api().delete("/v1/encoders/" + id), 404, "not-found");
        }
        String foreignTopics = Datasets.upload(other.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 77));
        assertProblem(other.owner().api().body(Map.of("dataset_version_id", foreignTopics, "architecture",
                "imported_encoder", "encoder_id", encoder)).post("/v1/training-jobs"), 404, "not-found");
        other.owner().api().get("/v1/encoders").then().body("data.size()", equalTo(0));
        tenant.owner().api().get("/v1/encoders?limit=1").then().body("data.id", equalTo(List.of(encoder)))
                .body("has_more", equalTo(false));
        tenant.owner().api().get("/v1/encoders?after=" + encoder).then().body("data.size()", equalTo(0));
        tenant.owner().api().delete("/v1/encoders/" + encoder).then().statusCode(204);
        // the model keeps its own copy of the encoder
        tenant.owner().api().body(Map.of("inputs", List.of(GeneratedData.topicText("sport", 5))))
                .post("/v1/models/" + model + "/predict").then().statusCode(200);
    }

    /** Four-dimensional vectors for GeneratedData's words: a topic's words on its axis, filler near zero. */
    private static Map<String, float[]> encoderVectors() {
        Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
        List<List<String>> topics = List.of(List.of("goal", "match", "league", "coach", "striker", "tennis"),
                List.of("election", "senate", "minister", "vote", "policy", "parliament"),
                List.of("physics", "laboratory", "experiment", "atom", "genome", "telescope"));
        for (int t = 0; t < topics.size(); t++) {
            for (String word : topics.get(t)) {
                float[] v = new float[4];
                v[t] = 1f;
                vectors.put(word, v);
            }
        }
        for (String word : List.of("the", "a", "today", "people", "said", "new")) {
            vectors.put(word, new float[] {0.01f, 0.01f, 0.01f, 0.01f});
        }
        return vectors;
    }

    /** Eight-dimensional vectors in GloVe's format: each topic's words near one corner, filler near zero. */
    private static String vectorsFile() {
        Random random = new Random(5);
        StringBuilder text = new StringBuilder();
        List<List<String>> topics = List.of(List.of("goal", "match", "league", "coach", "striker", "tennis"),
                List.of("election", "senate", "minister", "vote", "policy", "parliament"),
                List.of("physics", "laboratory", "experiment", "atom", "genome", "telescope"));
        for (int t = 0; t < topics.size(); t++) {
            for (String word : topics.get(t)) {
                text.append(word.toUpperCase(Locale.ROOT).charAt(0)).append(word.substring(1));
                for (int d = 0; d < 8; d++) {
                    double value = (d == t ? 1.0 : 0.0) + random.nextGaussian() * 0.05;
                    text.append(' ').append(String.format(Locale.ROOT, "%.4f", value));
                }
                text.append('\n');
            }
        }
        for (String word : List.of("the", "a", "today", "people", "said", "new")) {
            text.append(word);
            for (int d = 0; d < 8; d++) {
                text.append(' ').append(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 0.05));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private long storedFiles(TestTenant tenant, String folder) {
        return blobs.list("tenants/" + tenant.id() + "/" + folder + "/").count();
    }
}

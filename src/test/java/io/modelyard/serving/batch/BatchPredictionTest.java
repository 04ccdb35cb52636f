package io.modelyard.serving.batch;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.ml.TinySpecs;
import io.modelyard.model.spec.Architecture;
import io.modelyard.serving.EvaluationPath;
import io.modelyard.serving.UsageLedger;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batch predictions end to end: real models in the model cache, dataset versions uploaded through the API, jobs
 * run by the worker of this process, results downloaded from the blob store. The same rows must give the same
 * labels and probabilities through /v1 predict, the inference protocol, a batch job and the stored evaluation.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchPredictionTest {

    @Inject
    ModelFixtures fixtures;

    @Inject
    UsageLedger ledger;

    TestTenant tenant;
    String topics;
    String credit;
    String prices;
    String topicsVersion;
    String creditVersion;
    String pricesVersion;

    @BeforeEach
    void modelsAndDatasetsOfATenant() {
        if (tenant != null) {
            return;
        }
        tenant = TestTenant.signUp("Batch");
        topics = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        credit = fixtures.register(tenant.id(), "credit", TrainedModels.credit());
        prices = fixtures.register(tenant.id(), "prices", TrainedModels.prices());
        topicsVersion = upload("topics", "text_classification", TrainedModels.topics());
        creditVersion = upload("credit", "tabular_classification", TrainedModels.credit());
        pricesVersion = upload("prices", "tabular_regression", TrainedModels.prices());
    }

    private String upload(String name, String task, TrainedModels.Trained model) {
        String csv = BatchJobs.testSplitCsv(model.data());
        String version = task.startsWith("tabular")
                ? Datasets.upload(tenant.owner().api(), name, task, csv, "drop_duplicates", "false", "target_column",
                        model.data().task().isClassification() ? "label" : "target")
                : Datasets.upload(tenant.owner().api(), name, task, csv, "drop_duplicates", "false");
        tenant.owner().api().get("/v1/dataset-versions/" + version).then().statusCode(200)
                .body("row_count", equalTo(model.data().test().size()));
        return version;
    }

    @Test
    void textBatchEqualsOnlineTheInferenceProtocolAndTheStoredEvaluation() {
        TrainedModels.Trained model = TrainedModels.topics();
        tenant.owner().api().body(Map.of("model_id", topics)).put("/v1/model-aliases/batch-text").then()
                .statusCode(200);
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", "batch-text",
                "dataset_version_id", topicsVersion, "metadata", Map.of("run", "equality")));
        JsonPath done = BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        assertEquals(topics, done.getString("model_id"), "the alias was resolved to the model's id at creation");
        assertEquals("batch_prediction", done.getString("object"));
        assertEquals("jsonl", done.getString("format"));
        assertEquals(100.0, done.getDouble("progress"));

        ExtractableResponse<Response> download = result(id);
        assertTrue(download.contentType().startsWith("application/x-ndjson"), download.contentType());
        assertEquals("attachment; filename=\"" + id + "-predictions.jsonl\"",
                download.header("Content-Disposition"));
        byte[] bytes = download.asByteArray();
        assertEquals(done.getLong("result.result_bytes"), bytes.length);
        assertEquals(done.getString("result.result_sha256"), sha256(bytes));
        List<JsonNode> batch = BatchJobs.jsonLines(new String(bytes, StandardCharsets.UTF_8));

        List<JsonNode> rows = BatchJobs.versionRows(tenant.owner().api(), topicsVersion);
        List<String> texts = rows.stream().map(r -> r.get("text").asText()).toList();
        assertEquals(model.data().test().stream().map(e -> e.text()).toList(), texts, "the version holds the test split");
        assertEquals(texts.size(), batch.size());
        assertEquals(texts.size(), done.getLong("result.rows"));
        JsonNode online = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", texts))
                .post("/v1/models/" + topics + "/predict").then().statusCode(200).extract().asString());
        JsonNode oip = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", List.of(Map.of("name", "text",
                "shape", List.of(texts.size()), "datatype", "BYTES", "data", texts))))
                .post("/v2/models/" + topics + "/infer").then().statusCode(200).extract().asString());
        List<Prediction> evaluation = EvaluationPath.testPredictions(model);
        List<String> classes = model.data().labelClasses();
        for (int r = 0; r < texts.size(); r++) {
            JsonNode line = batch.get(r);
            JsonNode v1 = online.get("data").get(r);
            assertEquals(r, line.get("row").asInt());
            assertEquals(rows.get(r).get("split").asText(), line.get("split").asText());
            assertEquals(v1.get("label").asText(), line.get("label").asText(), "row " + r);
            assertEquals(oip.get("outputs").get(0).get("data").get(r).asText(), line.get("label").asText());
            assertEquals(evaluation.get(r).label(), line.get("label").asText(), "row " + r);
            List<String> order = new ArrayList<>();
            line.get("probabilities").fieldNames().forEachRemaining(order::add);
            assertEquals(classes, order, "probabilities in the model's label order");
            for (int c = 0; c < classes.size(); c++) {
                double p = line.get("probabilities").get(classes.get(c)).asDouble();
                assertEquals(v1.get("probabilities").get(classes.get(c)).asDouble(), p, 1e-6, "row " + r);
                assertEquals(oip.get("outputs").get(1).get("data").get(r * classes.size() + c).asDouble(), p, 1e-6);
                assertEquals(evaluation.get(r).probabilities().get(classes.get(c)), p, 1e-6, "row " + r);
            }
        }

        // Progress while it ran, and the job's events as a stream once it is over.
        List<String> types = tenant.owner().api().get("/v1/batch-predictions/" + id + "/events?limit=100").then()
                .statusCode(200).extract().path("data.type");
        assertTrue(types.contains("progress"), types.toString());
        List<String> messages = tenant.owner().api().get("/v1/batch-predictions/" + id + "/events?limit=100")
                .then().extract().path("data.findAll { it.type == 'message' }.data.message");
        assertTrue(messages.stream().filter(m -> m.startsWith("Predicted ")).count() >= 2, messages.toString());
        String stream = tenant.owner().api().queryParam("stream", "true").get("/v1/batch-predictions/" + id
                + "/events").then().statusCode(200).contentType(startsWith("text/event-stream")).extract()
                .asString();
        assertTrue(stream.contains("\"succeeded\""), stream);

        // Billed once, for every row, to the job; online requests above are billed as their own.
        List<UsageLedger.Event> billed = ledger.events(tenant.id()).stream()
                .filter(e -> e.idempotencyKey().startsWith("job:" + id)).toList();
        assertEquals(1, billed.size(), billed.toString());
        assertEquals("predictions", billed.get(0).meter());
        assertEquals(texts.size(), billed.get(0).quantity());
        assertEquals("job:" + id + ":predictions", billed.get(0).idempotencyKey());
        assertEquals(topics, billed.get(0).modelId());
        assertEquals("batch", billed.get(0).protocol());

        tenant.owner().api().queryParam("metadata[run]", "equality").get("/v1/batch-predictions").then()
                .statusCode(200).body("object", equalTo("list")).body("data.id", equalTo(List.of(id)));
    }

    @Test
    void tabularBatchesInCsvEqualOnlinePredictions() {
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", credit, "dataset_version_id",
                creditVersion, "format", "csv"));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        ExtractableResponse<Response> download = result(id);
        assertTrue(download.contentType().startsWith("text/csv"), download.contentType());
        List<String[]> csv = csv(download.asString());
        List<String> classes = TrainedModels.credit().data().labelClasses();
        List<String> header = new ArrayList<>(List.of("row", "split", "label"));
        classes.forEach(c -> header.add("p_" + c));
        assertEquals(header, List.of(csv.get(0)));

        List<JsonNode> rows = BatchJobs.versionRows(tenant.owner().api(), creditVersion);
        JsonNode online = predict(credit, features(rows, "income", "debt", "region"));
        List<Prediction> evaluation = EvaluationPath.testPredictions(TrainedModels.credit());
        assertEquals(rows.size() + 1, csv.size());
        for (int r = 0; r < rows.size(); r++) {
            String[] line = csv.get(r + 1);
            JsonNode v1 = online.get("data").get(r);
            assertEquals(Integer.toString(r), line[0]);
            assertEquals(rows.get(r).get("split").asText(), line[1]);
            assertEquals(v1.get("label").asText(), line[2], "row " + r);
            assertEquals(evaluation.get(r).label(), line[2], "row " + r);
            for (int c = 0; c < classes.size(); c++) {
                assertEquals(v1.get("probabilities").get(classes.get(c)).asDouble(), Double.parseDouble(line[3 + c]),
                        1e-6, "row " + r);
            }
        }

        String regression = BatchJobs.start(tenant.owner().api(), Map.of("model", prices, "dataset_version_id",
                pricesVersion, "format", "csv"));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), regression);
        List<String[]> values = csv(result(regression).asString());
        assertEquals(List.of("row", "split", "value"), List.of(values.get(0)));
        List<JsonNode> priceRows = BatchJobs.versionRows(tenant.owner().api(), pricesVersion);
        JsonNode answers = predict(prices, features(priceRows, "size", "age", "region"));
        List<Prediction> stored = EvaluationPath.testPredictions(TrainedModels.prices());
        assertEquals(priceRows.size() + 1, values.size());
        for (int r = 0; r < priceRows.size(); r++) {
            double value = Double.parseDouble(values.get(r + 1)[2]);
            assertEquals(answers.get("data").get(r).get("value").asDouble(), value, 1e-9, "row " + r);
            assertEquals(stored.get(r).value(), value, 1e-9, "row " + r);
        }
    }

    @Test
    void topKAnswersTheMostProbableClassesAsOnline() {
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", topics, "dataset_version_id",
                topicsVersion, "top_k", 2));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        List<JsonNode> batch = BatchJobs.jsonLines(result(id).asString());
        List<String> texts = BatchJobs.versionRows(tenant.owner().api(), topicsVersion).stream()
                .map(r -> r.get("text").asText()).toList();
        JsonNode online = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", texts, "top_k", 2))
                .post("/v1/models/" + topics + "/predict").then().statusCode(200).extract().asString());
        for (int r = 0; r < texts.size(); r++) {
            assertFalse(batch.get(r).has("probabilities"));
            assertEquals(2, batch.get(r).get("top_k").size());
            for (int k = 0; k < 2; k++) {
                JsonNode want = online.get("data").get(r).get("top_k").get(k);
                JsonNode got = batch.get(r).get("top_k").get(k);
                assertEquals(want.get("label").asText(), got.get("label").asText());
                assertEquals(want.get("probability").asDouble(), got.get("probability").asDouble(), 1e-6);
            }
        }
    }

    @Test
    void csvResultsEscapeCellsASpreadsheetWouldRun() {
        TrainedModels.Trained formulas = TrainedModels.train("formulas", TinySpecs.text(
                Architecture.BAG_OF_EMBEDDINGS, 4), BatchJobs.formulaTopics());
        String model = fixtures.register(tenant.id(), "formulas", formulas);
        String csvJob = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id",
                topicsVersion, "format", "csv"));
        String jsonJob = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id",
                topicsVersion));
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), csvJob);
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), jsonJob);
        List<String[]> csv = csv(result(csvJob).asString());
        assertEquals(List.of("row", "split", "label", "p_+plus", "p_=danger()", "p_@risk"), List.of(csv.get(0)));
        List<JsonNode> json = BatchJobs.jsonLines(result(jsonJob).asString());
        for (int r = 1; r < csv.size(); r++) {
            String label = csv.get(r)[2];
            assertEquals("'" + json.get(r - 1).get("label").asText(), label, "row " + r);
            for (String cell : csv.get(r)) {
                assertFalse(cell.matches("^[=+@\\t\\r].*"), "unescaped cell " + cell);
            }
        }
        assertEquals(3, csv.stream().skip(1).map(c -> c[2]).distinct().count(), "every class predicted somewhere");
    }

    private ExtractableResponse<Response> result(String id) {
        return tenant.owner().api().get("/v1/batch-predictions/" + id + "/result").then().statusCode(200)
                .extract();
    }

    private JsonNode predict(String model, List<Map<String, Object>> inputs) {
        return BatchJobs.read(tenant.owner().api().body(Map.of("inputs", inputs)).post("/v1/models/" + model
                + "/predict").then().statusCode(200).extract().asString());
    }

    private static List<Map<String, Object>> features(List<JsonNode> rows, String... names) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (JsonNode row : rows) {
            Map<String, Object> features = new java.util.LinkedHashMap<>();
            for (String name : names) {
                JsonNode value = row.get(name);
                features.put(name, value.isNumber() ? (Object) value.doubleValue() : value.asText());
            }
            inputs.add(features);
        }
        return inputs;
    }

    /** Our CSVs quote no cell here (no commas, quotes or line breaks in them), so a split is exact. */
    private static List<String[]> csv(String body) {
        List<String[]> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            assertFalse(line.contains("\""), line);
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

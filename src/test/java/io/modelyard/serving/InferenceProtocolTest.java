package io.modelyard.serving;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.Example;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Open Inference Protocol (KServe v2 REST): shapes field by field, same answers as /v1, same rules. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ModelFixtures fixtures;

    @Inject
    UsageLedger ledger;

    TestTenant tenant;
    String key;
    String topics;
    String credit;
    String prices;

    @BeforeEach
    void modelsOfATenant() {
        if (tenant != null) {
            return;
        }
        tenant = TestTenant.signUp("Inference protocol");
        TestPlans.assign(tenant, TestPlans.unlimited());
        key = tenant.apiKey("predict");
        topics = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        credit = fixtures.register(tenant.id(), "credit", TrainedModels.credit());
        prices = fixtures.register(tenant.id(), "prices", TrainedModels.prices());
    }

    @Test
    void healthAndServerMetadata() {
        RestAssured.get("/v2/health/live").then().statusCode(200).body(emptyString());
        RestAssured.get("/v2/health/ready").then().statusCode(200).body(emptyString());
        JsonNode server = read(RestAssured.get("/v2").then().statusCode(200).extract().asString());
        assertEquals(Set.of("name", "version", "extensions"), fields(server));
        assertEquals("modelyard", server.get("name").asText());
        assertTrue(server.get("extensions").isArray());
    }

    @Test
    void modelMetadataListsTheTensors() {
        JsonNode text = read(withKey(key).get("/v2/models/" + topics).then().statusCode(200).extract().asString());
        assertEquals(Set.of("name", "versions", "platform", "inputs", "outputs"), fields(text));
        assertEquals(topics, text.get("name").asText());
        assertEquals("[\"1\"]", text.get("versions").toString());
        assertEquals("[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[-1]}]", text.get("inputs").toString());
        assertEquals("[{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]", text.get("outputs").toString());

        JsonNode tabular = read(withKey(key).get("/v2/models/" + credit + "/versions/1").then().statusCode(200)
                .extract().asString());
        assertEquals("[{\"name\":\"income\",\"datatype\":\"FP32\",\"shape\":[-1]},"
                + "{\"name\":\"debt\",\"datatype\":\"FP32\",\"shape\":[-1]},"
                + "{\"name\":\"region\",\"datatype\":\"BYTES\",\"shape\":[-1]}]", tabular.get("inputs").toString());
        JsonNode regression = read(withKey(key).get("/v2/models/" + prices).then().statusCode(200)
                .extract().asString());
        assertEquals("[{\"name\":\"value\",\"datatype\":\"FP64\",\"shape\":[-1]}]",
                regression.get("outputs").toString());
    }

    @Test
    void textInferenceMatchesV1AndTheEvaluationPath() {
        TrainedModels.Trained model = TrainedModels.topics();
        List<String> texts = model.data().test().subList(0, 40).stream().map(Example::text).toList();
        JsonNode response = read(infer(topics, Map.of("id", "42", "inputs", List.of(Map.of("name", "text",
                "shape", List.of(texts.size()), "datatype", "BYTES", "data", texts)))).then().statusCode(200)
                .extract().asString());
        assertEquals(Set.of("model_name", "model_version", "id", "parameters", "outputs"), fields(response));
        assertEquals(topics, response.get("model_name").asText());
        assertEquals("1", response.get("model_version").asText());
        assertEquals("42", response.get("id").asText());
        assertEquals(topics, response.get("parameters").get("model_id").asText());
        JsonNode label = response.get("outputs").get(0);
        JsonNode probabilities = response.get("outputs").get(1);
        assertEquals(Set.of("name", "shape", "datatype", "data"), fields(label));
        assertEquals(Set.of("name", "shape", "datatype", "data"), fields(probabilities));
        assertEquals("label", label.get("name").asText());
        assertEquals("BYTES", label.get("datatype").asText());
        assertEquals("[" + texts.size() + "]", label.get("shape").toString());
        assertEquals("probabilities", probabilities.get("name").asText());
        assertEquals("FP32", probabilities.get("datatype").asText());
        assertEquals("[" + texts.size() + ",3]", probabilities.get("shape").toString());
        assertEquals(texts.size() * 3, probabilities.get("data").size());

        List<Prediction> expected = EvaluationPath.testPredictions(model);
        JsonNode v1 = read(withKey(key).body(Map.of("inputs", texts)).post("/v1/models/" + topics + "/predict")
                .then().statusCode(200).extract().asString());
        for (int r = 0; r < texts.size(); r++) {
            assertEquals(expected.get(r).label(), label.get("data").get(r).asText());
            assertEquals(v1.get("data").get(r).get("label").asText(), label.get("data").get(r).asText());
            for (int c = 0; c < 3; c++) {
                String className = model.data().labelClasses().get(c);
                double p = probabilities.get("data").get(r * 3 + c).asDouble();
                assertEquals(expected.get(r).probabilities().get(className), p, 1e-6);
                assertEquals(v1.get("data").get(r).get("probabilities").get(className).asDouble(), p, 1e-9);
            }
        }

        // [n, 1] with nested data, and only the outputs asked for
        JsonNode nested = read(infer(topics, Map.of("inputs", List.of(Map.of("name", "text", "shape", List.of(2, 1),
                "datatype", "BYTES", "data", List.of(List.of("football"), List.of("senate")))),
                "outputs", List.of(Map.of("name", "label")))).then().statusCode(200).extract().asString());
        assertEquals(1, nested.get("outputs").size());
        assertEquals("[\"sport\",\"politics\"]", nested.get("outputs").get(0).get("data").toString());
        assertTrue(nested.path("id").isMissingNode(), "no id asked, none answered");
    }

    @Test
    void tabularInferenceByColumnsOrAsOneFeatureMatrix() {
        TrainedModels.Trained model = TrainedModels.credit();
        List<Example> rows = model.data().test().subList(0, 20);
        List<Double> income = new ArrayList<>();
        List<Double> debt = new ArrayList<>();
        List<String> region = new ArrayList<>();
        List<Map<String, Object>> v1Inputs = new ArrayList<>();
        for (Example row : rows) {
            income.add(Double.parseDouble(row.features().get(0)));
            debt.add(Double.parseDouble(row.features().get(1)));
            region.add(row.features().get(2));
            v1Inputs.add(EvaluationPath.features(model.data().features(), row));
        }
        JsonNode columns = read(infer(credit, Map.of("inputs", List.of(
                Map.of("name", "income", "shape", List.of(20), "datatype", "FP32", "data", income),
                Map.of("name", "debt", "shape", List.of(20, 1), "datatype", "FP64", "data", debt),
                Map.of("name", "region", "shape", List.of(20), "datatype", "BYTES", "data", region))))
                .then().statusCode(200).extract().asString());
        List<Prediction> expected = EvaluationPath.testPredictions(model);
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(expected.get(r).label(), columns.get("outputs").get(0).get("data").get(r).asText());
            assertEquals(expected.get(r).probabilities().get("risky"),
                    columns.get("outputs").get(1).get("data").get(r * 2 + 1).asDouble(), 1e-6);
        }

        // one FP32 matrix [n, 3] in the model's feature order; a categorical column given as a number
        List<List<Double>> matrix = new ArrayList<>();
        List<Map<String, Object>> sameForV1 = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            matrix.add(List.of(income.get(r), debt.get(r), 1.0));
            sameForV1.add(Map.of("income", income.get(r), "debt", debt.get(r), "region", 1));
        }
        JsonNode fromMatrix = read(infer(credit, Map.of("inputs", List.of(Map.of("name", "features",
                "shape", List.of(20, 3), "datatype", "FP32", "data", matrix)))).then().statusCode(200)
                .extract().asString());
        JsonNode v1 = read(withKey(key).body(Map.of("inputs", sameForV1)).post("/v1/models/" + credit + "/predict")
                .then().statusCode(200).extract().asString());
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(v1.get("data").get(r).get("label").asText(),
                    fromMatrix.get("outputs").get(0).get("data").get(r).asText());
            assertEquals(v1.get("data").get(r).get("probabilities").get("safe").asDouble(),
                    fromMatrix.get("outputs").get(1).get("data").get(r * 2).asDouble(), 1e-6);
        }

        JsonNode value = read(infer(prices, Map.of("inputs", List.of(Map.of("name", "features", "shape",
                List.of(1, 3), "datatype", "FP32", "data", List.of(120, 10, 0))))).then().statusCode(200)
                .extract().asString()).get("outputs").get(0);
        assertEquals("value", value.get("name").asText());
        assertEquals("FP64", value.get("datatype").asText());
        assertEquals("[1]", value.get("shape").toString());
        double v1Value = withKey(key).body(Map.of("inputs", List.of(Map.of("size", 120, "age", 10, "region", 0))))
                .post("/v1/models/" + prices + "/predict").then().statusCode(200).extract()
                .jsonPath().getDouble("data[0].value");
        assertEquals(v1Value, value.get("data").get(0).asDouble(), 1e-3);
    }

    @Test
    void errorsAreProblemsThatAlsoCarryTheProtocolsErrorMember() {
        oipProblem(infer(topics, tensors("text", List.of(3), "BYTES", List.of("a", "b"))), 400, "malformed-tensor");
        oipProblem(infer(topics, tensors("text", List.of(1), "FP32", List.of(1.0))), 400, "task-mismatch");
        oipProblem(infer(topics, tensors("text", List.of(2), "BYTES", List.of("a", 7))), 400, "malformed-tensor");
        oipProblem(infer(topics, tensors("text", List.of(2), "STRING", List.of("a", "b"))), 400, "malformed-tensor");
        oipProblem(infer(topics, tensors("text", List.of(1, 2), "BYTES", List.of("a", "b"))), 400,
                "malformed-tensor");
        oipProblem(infer(topics, tensors("text", List.of(-1), "BYTES", List.of("a"))), 400, "malformed-tensor");
        oipProblem(infer(topics, tensors("text", List.of(1), "BYTES", List.of(" "))), 400, "validation-failed")
                .body("errors[0].field", equalTo("text[0]"));
        oipProblem(infer(topics, tensors("text", List.of(1), "BYTES", List.of("w ".repeat(6000)))), 413,
                "text-too-long");
        oipProblem(infer(topics, tensors("text", List.of(300), "BYTES", java.util.Collections.nCopies(300, "x"))),
                413, "too-many-inputs");
        oipProblem(infer(topics, Map.of("inputs", List.of())), 400, "malformed-tensor");
        oipProblem(infer(topics, Map.of("inputs", List.of(Map.of("name", "text", "shape", List.of(1),
                "datatype", "BYTES", "data", List.of("a"), "parameters", Map.of("binary_data_size", 5))))), 400,
                "malformed-tensor");
        oipProblem(infer(topics, Map.of("inputs", List.of(Map.of("name", "text", "shape", List.of(1),
                "datatype", "BYTES", "data", List.of("a"))), "outputs", List.of(Map.of("name", "logits")))), 400,
                "validation-failed");
        oipProblem(infer(topics, Map.of("inputs", "nope")), 400, "validation-failed");
        oipProblem(withKey(key).body("{\"inputs\": [").post("/v2/models/" + topics + "/infer"), 400,
                "malformed-json");

        oipProblem(infer(credit, tensors("colour", List.of(1), "BYTES", List.of("red"))), 400, "task-mismatch");
        oipProblem(infer(credit, Map.of("inputs", List.of(
                Map.of("name", "income", "shape", List.of(2), "datatype", "FP32", "data", List.of(1, 2)),
                Map.of("name", "colour", "shape", List.of(2), "datatype", "FP32", "data", List.of(1, 2))))), 400,
                "malformed-tensor").body("errors[0].field", equalTo("colour"));
        oipProblem(infer(credit, Map.of("inputs", List.of(
                Map.of("name", "income", "shape", List.of(2), "datatype", "FP32", "data", List.of(1, 2)),
                Map.of("name", "debt", "shape", List.of(1), "datatype", "FP32", "data", List.of(1))))), 400,
                "malformed-tensor");
        oipProblem(infer(credit, Map.of("inputs", List.of(
                Map.of("name", "income", "shape", List.of(1), "datatype", "FP32", "data", List.of(1)),
                Map.of("name", "income", "shape", List.of(1), "datatype", "FP32", "data", List.of(1))))), 400,
                "malformed-tensor");
        oipProblem(infer(credit, tensors("features", List.of(1, 2), "FP32", List.of(1, 2))), 400,
                "malformed-tensor");
        oipProblem(infer(credit, tensors("income", List.of(1), "BYTES", List.of("lots"))), 400,
                "validation-failed").body("errors[0].field", equalTo("income[0]"));

        oipProblem(infer("mdl_01jd7x9k2m3n4p5q6r7s8t9v0w", tensors("text", List.of(1), "BYTES", List.of("a"))), 404,
                "not-found");
        oipProblem(withKey(key).get("/v2/models/" + topics + "/versions/2"), 404, "not-found");
        oipProblem(RestAssured.given().contentType("application/json")
                .body(tensors("text", List.of(1), "BYTES", List.of("a"))).post("/v2/models/" + topics + "/infer"),
                401, "unauthenticated");
        oipProblem(withKey(tenant.apiKey("read")).body(tensors("text", List.of(1), "BYTES", List.of("a")))
                .post("/v2/models/" + topics + "/infer"), 403, "insufficient-scope");
    }

    @Test
    void aModelThatIsNotLoadedAnswers503WithRetryAfterUntilItIs() {
        String fresh = fixtures.register(tenant.id(), "fresh", TrainedModels.topics());
        withKey(key).get("/v2/models/" + fresh + "/ready").then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://modelyard.dev/problems/model-loading"))
                .body("error", notNullValue());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int status = 503;
        while (status != 200 && Instant.now().isBefore(deadline)) {
            status = withKey(key).get("/v2/models/" + fresh + "/versions/1/ready").then().extract().statusCode();
        }
        assertEquals(200, status);
        withKey(key).get("/v2/models/" + fresh + "/ready").then().statusCode(200).body(emptyString());
    }

    @Test
    void anotherTenantsModelsAre404OnEveryEndpoint() {
        TestTenant other = TestTenant.signUp("Other OIP");
        String theirs = fixtures.register(other.id(), "theirs", TrainedModels.topics());
        other.owner().api().body(Map.of("model_id", theirs)).put("/v1/model-aliases/secret-model")
                .then().statusCode(200);
        for (String name : List.of(theirs, "secret-model")) {
            oipProblem(withKey(key).get("/v2/models/" + name), 404, "not-found");
            oipProblem(withKey(key).get("/v2/models/" + name + "/versions/1"), 404, "not-found");
            oipProblem(withKey(key).get("/v2/models/" + name + "/ready"), 404, "not-found");
            oipProblem(withKey(key).get("/v2/models/" + name + "/versions/1/ready"), 404, "not-found");
            oipProblem(infer(name, tensors("text", List.of(1), "BYTES", List.of("tennis"))), 404, "not-found");
            oipProblem(withKey(key).body(tensors("text", List.of(1), "BYTES", List.of("tennis")))
                    .post("/v2/models/" + name + "/versions/1/infer"), 404, "not-found");
            assertProblem(withKey(key).body(Map.of("inputs", List.of("tennis")))
                    .post("/v1/models/" + name + "/predict"), 404, "not-found").body("error", nullValue());
        }
        withKey(other.apiKey("predict")).body(tensors("text", List.of(1), "BYTES", List.of("tennis")))
                .post("/v2/models/secret-model/infer").then().statusCode(200);
    }

    @Test
    void inferenceIsMeteredLikeV1() {
        TestTenant metered = TestTenant.signUp("Metered OIP");
        String meteredKey = metered.apiKey("predict");
        String model = fixtures.register(metered.id(), "topics", TrainedModels.topics());
        String id = withKey(meteredKey).body(tensors("text", List.of(2), "BYTES", List.of("tennis", "senate")))
                .post("/v2/models/" + model + "/infer").then().statusCode(200).extract()
                .path("parameters.prediction_id");
        withKey(meteredKey).body(tensors("text", List.of(2), "BYTES", List.of("tennis", " ")))
                .post("/v2/models/" + model + "/infer").then().statusCode(400);
        withKey(meteredKey).get("/v2/models/" + model).then().statusCode(200);
        List<UsageLedger.Event> events = ledger.events(metered.id(), "predictions");
        assertEquals(1, events.size(), events.toString());
        assertEquals(2, events.get(0).quantity());
        assertEquals("predictions", events.get(0).meter());
        assertEquals("oip", events.get(0).protocol());
        assertEquals("prediction:" + id, events.get(0).idempotencyKey());
        // the successful infer and metadata calls are API requests; the failed infer is not (nor, here, the
        // owner's call that made the key, a person's request)
        assertEquals(2, ledger.events(metered.id(), "api_requests").stream().filter(e -> e.apiKeyId() != null)
                .count());
    }

    private ValidatableResponse oipProblem(Response response, int status, String type) {
        return assertProblem(response, status, type).body("error", notNullValue())
                .body("error", equalTo(response.jsonPath().getString("detail")));
    }

    private Response infer(String model, Object body) {
        return withKey(key).body(body).post("/v2/models/" + model + "/infer");
    }

    private static Map<String, Object> tensors(String name, List<Integer> shape, String datatype, List<?> data) {
        return Map.of("inputs", List.of(Map.of("name", name, "shape", shape, "datatype", datatype, "data", data)));
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

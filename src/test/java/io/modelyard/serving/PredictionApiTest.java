package io.modelyard.serving;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.Example;
import io.modelyard.training.evaluation.Evaluation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /v1/models/{id_or_alias}/predict} end to end: real models, real keys, real database. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionApiTest {

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
        tenant = TestTenant.signUp("Predictions");
        TestPlans.assign(tenant, TestPlans.unlimited());
        key = tenant.apiKey("predict");
        topics = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        credit = fixtures.register(tenant.id(), "credit", TrainedModels.credit());
        prices = fixtures.register(tenant.id(), "prices", TrainedModels.prices());
    }

    @Test
    void textPredictionsEqualTheEvaluationPath() {
        assertSameAsEvaluation(TrainedModels.topics(), topics);
    }

    @Test
    void tabularPredictionsEqualTheEvaluationPath() {
        assertSameAsEvaluation(TrainedModels.credit(), credit);
        assertSameAsEvaluation(TrainedModels.prices(), prices);
    }

    private void assertSameAsEvaluation(TrainedModels.Trained model, String modelId) {
        List<Example> test = model.data().test();
        List<Object> inputs = new ArrayList<>();
        test.forEach(e -> inputs.add(EvaluationPath.input(model, e)));
        JsonNode answer = read(predict(modelId, Map.of("inputs", inputs)).then().statusCode(200)
                .body("object", equalTo("prediction_list"))
                .body("model_id", equalTo(modelId))
                .body("model_name", equalTo(model.name()))
                .body("task", equalTo(model.data().task().wireName()))
                .body("usage.predictions", equalTo(test.size()))
                .extract().asString());
        List<Prediction> expected = EvaluationPath.testPredictions(model);
        assertEquals(test.size(), answer.get("data").size());
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            JsonNode item = answer.get("data").get(i);
            assertEquals(i, item.get("index").asInt());
            Prediction want = expected.get(i);
            if (want.value() != null) {
                assertEquals(want.value(), item.get("value").asDouble(), 1e-9, "row " + i);
                assertTrue(item.path("label").isMissingNode());
                continue;
            }
            assertEquals(want.label(), item.get("label").asText(), "row " + i);
            predicted.add(item.get("label").asText());
            List<String> order = new ArrayList<>();
            item.get("probabilities").fieldNames().forEachRemaining(order::add);
            assertEquals(model.data().labelClasses(), order, "probabilities in the model's label order");
            for (String label : model.data().labelClasses()) {
                assertEquals(want.probabilities().get(label), item.get("probabilities").get(label).asDouble(), 1e-6,
                        "row " + i + " " + label);
            }
        }
        if (!predicted.isEmpty()) {
            List<String> actual = test.stream().map(Example::label).toList();
            Evaluation again = Evaluation.classification(model.data().labelClasses(), actual, predicted);
            assertEquals(model.outcome().evaluation().classification().accuracy(),
                    again.classification().accuracy());
        }
    }

    @Test
    void topKListsTheMostProbableClassesFirst() {
        JsonNode item = read(predict(topics, Map.of("inputs", List.of("The senate voted on the budget today."),
                "top_k", 2)).then().statusCode(200).extract().asString()).get("data").get(0);
        assertEquals("politics", item.get("label").asText());
        assertTrue(item.path("probabilities").isMissingNode());
        assertEquals(2, item.get("top_k").size());
        assertEquals("politics", item.get("top_k").get(0).get("label").asText());
        assertTrue(item.get("top_k").get(0).get("probability").asDouble()
                >= item.get("top_k").get(1).get("probability").asDouble());
        // more than there are classes: all of them
        predict(topics, Map.of("inputs", List.of("tennis"), "top_k", 10)).then().statusCode(200)
                .body("data[0].top_k", hasSize(3));
    }

    @Test
    void explainNamesTheTokensThatMovedThePrediction() {
        JsonNode answer = read(predict(topics, Map.of("inputs", List.of("Many people said the physics report was new."),
                "explain", true)).then().statusCode(200).extract().asString());
        JsonNode item = answer.get("data").get(0);
        assertEquals("science", item.get("label").asText());
        JsonNode explanation = item.get("explanation");
        assertEquals("science", explanation.get("label").asText());
        assertEquals("physics", explanation.get("tokens").get(0).get("token").asText());
        assertTrue(explanation.get("tokens").get(0).get("attribution").asDouble() > 0.1);
        assertNotNull(explanation.get("tokens").get(0).get("position"));
        assertTrue(explanation.get("tokens").size() <= 10);

        // Metered by the model passes it cost: the prediction, then the text again and once without each token.
        int tokens = explanation.get("tokens").size();
        assertTrue(tokens < 10, "every token listed: " + tokens);
        int passes = 1 + (tokens + 1);
        assertEquals(passes, answer.get("usage").get("predictions").asInt());
        String key = "prediction:" + answer.get("id").asText();
        assertEquals(List.of((long) passes), ledger.events(tenant.id(), "predictions").stream()
                .filter(e -> e.idempotencyKey().equals(key)).map(UsageLedger.Event::quantity).toList());
        predict(topics, Map.of("inputs", List.of("Many people said the physics report was new."))).then()
                .statusCode(200).body("usage.predictions", equalTo(1));
    }

    @Test
    void aliasesMembersAndScopes() {
        tenant.owner().api().body(Map.of("model_id", topics)).put("/v1/model-aliases/production")
                .then().statusCode(200);
        predict("production", Map.of("inputs", List.of("football"))).then().statusCode(200)
                .body("model_id", equalTo(topics)).body("data[0].label", equalTo("sport"));
        // moving the alias takes effect on the very next request, even though this process remembers the name
        String successor = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        tenant.owner().api().body(Map.of("model_id", successor)).put("/v1/model-aliases/production")
                .then().statusCode(200);
        predict("production", Map.of("inputs", List.of("football"))).then().statusCode(200)
                .body("model_id", equalTo(successor)).body("model_version", equalTo(2));
        tenant.owner().api().body(Map.of("model_id", credit)).put("/v1/model-aliases/production")
                .then().statusCode(200);
        assertProblem(predict("production", Map.of("inputs", List.of("football"))), 400, "task-mismatch");
        tenant.owner().api().body(Map.of("model_id", topics)).put("/v1/model-aliases/production")
                .then().statusCode(200);
        TestUser member = tenant.addMember("member");
        member.api().body(Map.of("inputs", List.of("election"))).post("/v1/models/" + topics + "/predict")
                .then().statusCode(200).body("data[0].label", equalTo("politics"));
        TestUser viewer = tenant.addMember("viewer");
        assertProblem(viewer.api().body(Map.of("inputs", List.of("election")))
                .post("/v1/models/" + topics + "/predict"), 403, "insufficient-role");
        assertProblem(withKey(tenant.apiKey("read")).body(Map.of("inputs", List.of("election")))
                .post("/v1/models/" + topics + "/predict"), 403, "insufficient-scope");
        assertProblem(RestAssured.given().contentType("application/json").body(Map.of("inputs", List.of("x")))
                .post("/v1/models/" + topics + "/predict"), 401, "unauthenticated");
    }

    @Test
    void badInputIsAClearProblemNeverA500() {
        Map<String, Object> good = Map.of("income", 50_000, "debt", 10_000, "region", "north");
        Map<String, Object> unknownFeature = new HashMap<>(good);
        unknownFeature.put("colour", "red");
        assertProblem(predict(credit, Map.of("inputs", List.of(good, unknownFeature))), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs[1].colour")).body("row", equalTo(1));
        Map<String, Object> wrongType = new HashMap<>(good);
        wrongType.put("income", "lots");
        assertProblem(predict(credit, Map.of("inputs", List.of(wrongType))), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs[0].income"));
        Map<String, Object> nested = new HashMap<>(good);
        nested.put("debt", Map.of("amount", 1));
        assertProblem(predict(credit, Map.of("inputs", List.of(nested))), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs[0].debt"));
        assertProblem(predict(topics, Map.of("inputs", List.of("fine", "   "))), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs[1]")).body("row", equalTo(1));
        assertProblem(predict(topics, Map.of("inputs", List.of("word ".repeat(2001)))), 413, "text-too-long")
                .body("limit", equalTo(10000)).body("errors[0].field", equalTo("inputs[0]"));
        assertProblem(predict(topics, Map.of("inputs", Collections.nCopies(257, "news"))), 413, "too-many-inputs")
                .body("limit", equalTo(256));
        assertProblem(predict(topics, Map.of("inputs", List.of())), 400, "validation-failed");
        assertProblem(predict(topics, Map.of("top_k", 1)), 400, "validation-failed")
                .body("errors[0].field", equalTo("inputs"));
        assertProblem(predict(topics, Map.of("inputs", List.of("x"), "top_k", 0)), 400, "validation-failed")
                .body("errors[0].field", equalTo("top_k"));
        assertProblem(predict(topics, Map.of("inputs", List.of("x"), "temperature", 1)), 400, "validation-failed");
        assertProblem(withKey(key).body("{\"inputs\": [").post("/v1/models/" + topics + "/predict"), 400,
                "malformed-json");
        // another task
        assertProblem(predict(credit, Map.of("inputs", List.of("a text"))), 400, "task-mismatch")
                .body("task", equalTo("tabular_classification"));
        assertProblem(predict(topics, Map.of("inputs", List.of(good))), 400, "task-mismatch");
        assertProblem(predict(credit, Map.of("inputs", List.of(good), "explain", true)), 400, "task-mismatch");
        assertProblem(predict(prices, Map.of("inputs", List.of(Map.of("size", 100)), "top_k", 1)), 400,
                "task-mismatch");
    }

    @Test
    void unknownDeletedAndForeignModelsAre404() {
        assertProblem(predict("mdl_01jd7x9k2m3n4p5q6r7s8t9v0w", Map.of("inputs", List.of("x"))), 404, "not-found");
        assertProblem(predict("no-such-alias", Map.of("inputs", List.of("x"))), 404, "not-found");
        String doomed = fixtures.register(tenant.id(), "doomed", TrainedModels.topics());
        predict(doomed, Map.of("inputs", List.of("tennis"))).then().statusCode(200);
        tenant.owner().api().delete("/v1/models/" + doomed).then().statusCode(204);
        assertProblem(predict(doomed, Map.of("inputs", List.of("tennis"))), 404, "not-found");

        TestTenant other = TestTenant.signUp("Other");
        String theirs = fixtures.register(other.id(), "theirs", TrainedModels.topics());
        other.owner().api().body(Map.of("model_id", theirs)).put("/v1/model-aliases/their-production")
                .then().statusCode(200);
        assertProblem(predict(theirs, Map.of("inputs", List.of("tennis"))), 404, "not-found");
        assertProblem(predict("their-production", Map.of("inputs", List.of("tennis"))), 404, "not-found");
        assertProblem(tenant.owner().api().body(Map.of("inputs", List.of("tennis")))
                .post("/v1/models/" + theirs + "/predict"), 404, "not-found");
        withKey(other.apiKey("predict")).body(Map.of("inputs", List.of("tennis")))
                .post("/v1/models/their-production/predict").then().statusCode(200);
    }

    @Test
    void aSuccessfulRequestRecordsItsPredictionsOnceAndAFailedOneNothing() {
        TestTenant metered = TestTenant.signUp("Metered");
        String meteredKey = metered.apiKey("predict");
        String model = fixtures.register(metered.id(), "topics", TrainedModels.topics());
        String keyId = withKey(meteredKey).get("/v1/ping").then().extract().path("actor");
        assertEquals(List.of(), ledger.events(metered.id(), "predictions"));

        String id = withKey(meteredKey).body(Map.of("inputs", List.of("tennis", "senate", "physics")))
                .post("/v1/models/" + model + "/predict").then().statusCode(200)
                .body("usage.predictions", equalTo(3)).extract().path("id");
        List<UsageLedger.Event> events = ledger.events(metered.id(), "predictions");
        assertEquals(1, events.size(), events.toString());
        UsageLedger.Event event = events.get(0);
        assertEquals("predictions", event.meter());
        assertEquals(3, event.quantity());
        assertEquals("prediction:" + id, event.idempotencyKey());
        assertEquals(model, event.modelId());
        assertEquals(keyId, "key:" + event.apiKeyId());
        assertEquals("v1", event.protocol());

        // failures: bad input, too many inputs, unknown model, another task, no scope
        withKey(meteredKey).body(Map.of("inputs", List.of("ok", " "))).post("/v1/models/" + model + "/predict")
                .then().statusCode(400);
        withKey(meteredKey).body(Map.of("inputs", Collections.nCopies(300, "x")))
                .post("/v1/models/" + model + "/predict").then().statusCode(413);
        withKey(meteredKey).body(Map.of("inputs", List.of("x"))).post("/v1/models/nope/predict")
                .then().statusCode(404);
        withKey(meteredKey).body(Map.of("inputs", List.of(Map.of("a", 1))))
                .post("/v1/models/" + model + "/predict").then().statusCode(400);
        withKey(metered.apiKey("read")).body(Map.of("inputs", List.of("x")))
                .post("/v1/models/" + model + "/predict").then().statusCode(403);
        assertEquals(1, ledger.events(metered.id(), "predictions").size());
        // billing counts each successful API-key request (the ping and the prediction), no failed one
        assertEquals(2, keyRequests(metered));

        // a person's request is metered too, without an API key, and counted as an API request like a key's
        long before = ledger.events(metered.id(), "api_requests").size();
        metered.owner().api().body(Map.of("inputs", List.of("election"))).post("/v1/models/" + model + "/predict")
                .then().statusCode(200);
        events = ledger.events(metered.id(), "predictions");
        assertEquals(2, events.size());
        assertEquals(1, events.get(1).quantity());
        assertEquals(null, events.get(1).apiKeyId());
        assertEquals(before + 1, ledger.events(metered.id(), "api_requests").size(), "a person's call counts");
        assertEquals(2, keyRequests(metered));
    }

    private long keyRequests(TestTenant metered) {
        return ledger.events(metered.id(), "api_requests").stream().filter(e -> e.apiKeyId() != null).count();
    }

    @Test
    void theRequestIdOfTheClientCannotSuppressMetering() {
        TestTenant metered = TestTenant.signUp("Replayer");
        String meteredKey = metered.apiKey("predict");
        String model = fixtures.register(metered.id(), "topics", TrainedModels.topics());
        for (int i = 0; i < 2; i++) {
            withKey(meteredKey).header("X-Request-Id", "same-id").body(Map.of("inputs", List.of("tennis")))
                    .post("/v1/models/" + model + "/predict").then().statusCode(200)
                    .body("data[0].value", nullValue());
        }
        assertEquals(2, ledger.events(metered.id(), "predictions").size());
        assertEquals(2, keyRequests(metered));
    }

    private Response predict(String model, Object body) {
        return withKey(key).body(body).post("/v1/models/" + model + "/predict");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.modelyard.serving;

import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.ml.SyntheticData;
import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The serving engine seen from outside, over HTTP: dynamic batching under 64 concurrent clients keeps every
 * answer with its own request; 64 concurrent requests for a cold model load it once (counted by the
 * Prometheus metric {@code modelyard_serving_model_loads_total}); a client that will not wait gets 503.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ModelFixtures fixtures;

    TestTenant tenant;
    String key;

    @BeforeEach
    void aTenant() {
        if (tenant == null) {
            tenant = TestTenant.signUp("Engine");
            // 64 clients at once: rate limits out of the way (billing's own tests cover them).
            TestPlans.assign(tenant, TestPlans.unlimited());
            key = tenant.apiKey("predict");
        }
    }

    @Test
    void sixtyFourConcurrentClientsEachGetTheirOwnAnswers() throws Exception {
        String model = fixtures.register(tenant.id(), "busy", TrainedModels.topics());
        List<String> texts = new ArrayList<>();
        Random random = new Random(64);
        for (int i = 0; i < 64; i++) {
            texts.add(SyntheticData.sentence(random, SyntheticData.TOPIC_WORDS.get(i % 3)) + " " + i);
        }
        List<Prediction> expected = new ArrayList<>();
        try (DjlLoadedModel alone = DjlModelRuntime.open(TrainedModels.topics().artifact(), 1)) {
            for (String text : texts) {
                expected.add(alone.predict(List.of(PredictionInput.text(text))).get(0));
            }
        }
        withKey(key).body(Map.of("inputs", List.of("warm up"))).post("/v1/models/" + model + "/predict")
                .then().statusCode(200);
        double batchedBefore = metric("modelyard_serving_batch_rows_count");

        ExecutorService clients = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            int client = c;
            Callable<Integer> calls = () -> {
                start.await();
                Random mine = new Random(client);
                int checked = 0;
                for (int request = 0; request < 6; request++) {
                    List<Integer> rows = new ArrayList<>();
                    rows.add(client);
                    for (int extra = 0; extra < mine.nextInt(3); extra++) {
                        rows.add(mine.nextInt(texts.size()));
                    }
                    List<String> inputs = rows.stream().map(texts::get).toList();
                    String body = withKey(key).body(Map.of("inputs", inputs)).post("/v1/models/" + model + "/predict")
                            .then().statusCode(200).extract().asString();
                    JsonNode data = JSON.readTree(body).get("data");
                    assertEquals(rows.size(), data.size());
                    for (int k = 0; k < rows.size(); k++) {
                        Prediction want = expected.get(rows.get(k));
                        assertEquals(want.label(), data.get(k).get("label").asText(), inputs.get(k));
                        for (String label : SyntheticData.TOPICS) {
                            assertEquals(want.probabilities().get(label),
                                    data.get(k).get("probabilities").get(label).asDouble(), 1e-5, inputs.get(k));
                        }
                        checked++;
                    }
                }
                return checked;
            };
            results.add(clients.submit(calls));
        }
        start.countDown();
        int checked = 0;
        for (Future<Integer> result : results) {
            checked += result.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertTrue(checked >= 64 * 6, "answers checked: " + checked);
        double passes = metric("modelyard_serving_batch_rows_count") - batchedBefore;
        assertTrue(passes < 64 * 6, "requests were batched: " + passes + " forward passes for 384 requests");
    }

    @Test
    void sixtyFourConcurrentColdRequestsLoadTheModelOnce() throws Exception {
        String model = fixtures.register(tenant.id(), "cold", TrainedModels.topics());
        double loadsBefore = metric("modelyard_serving_model_loads_total{outcome=\"loaded\"}");
        ExecutorService clients = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            statuses.add(clients.submit(() -> {
                start.await();
                return withKey(key).body(Map.of("inputs", List.of("tennis")))
                        .post("/v1/models/" + model + "/predict").then().extract().statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> status : statuses) {
            assertEquals(200, status.get(5, TimeUnit.MINUTES));
        }
        clients.shutdown();
        assertEquals(loadsBefore + 1, metric("modelyard_serving_model_loads_total{outcome=\"loaded\"}"));
        assertTrue(metric("modelyard_serving_cache_bytes") > 0);
    }

    @Test
    void aClientThatWillNotWaitForALoadGets503WithRetryAfter() {
        String model = fixtures.register(tenant.id(), "impatient", TrainedModels.topics());
        withKey(key).header("Prefer", "wait=0").body(Map.of("inputs", List.of("tennis")))
                .post("/v1/models/" + model + "/predict").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("type", equalTo("https://modelyard.dev/problems/model-loading"))
                .body("detail", notNullValue());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int status = 503;
        while (status == 503 && Instant.now().isBefore(deadline)) {
            status = withKey(key).header("Prefer", "wait=0").body(Map.of("inputs", List.of("tennis")))
                    .post("/v1/models/" + model + "/predict").then().extract().statusCode();
        }
        assertEquals(200, status);
    }

    private static double metric(String series) {
        String all = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + "\\s+(\\S+)$", Pattern.MULTILINE).matcher(all);
        if (!m.find()) {
            return 0;
        }
        return Double.parseDouble(m.group(1));
    }
}

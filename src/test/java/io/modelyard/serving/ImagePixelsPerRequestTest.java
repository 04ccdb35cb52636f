package io.modelyard.serving;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.testing.ImageZips;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A plan bounds the pixels one prediction request carries (width x height from each image's header, summed):
 * operators set it through the plan API, tenants see it on their plan and cannot change it, and a request over it
 * answers 413 on both protocols before anything runs or is metered.
 */
@QuarkusTest
class ImagePixelsPerRequestTest {

    private static final String FIELD = "max_image_pixels_per_request";

    private final TestUser operator = Keycloak.operator();

    @Test
    void operatorsSetTheBoundTenantsSeeItAndBadValuesChangeNothing() {
        String plan = TestPlans.unlimited();
        operator.api().get("/v1/admin/plans/" + plan).then().statusCode(200).body(FIELD, nullValue());
        operator.api().body(Map.of(FIELD, 5000)).patch("/v1/admin/plans/" + plan).then().statusCode(200)
                .body(FIELD, equalTo(5000));

        for (Object bad : List.of(-1, 0, 1.5, "many", 1e30)) {
            assertProblem(operator.api().body(Map.of(FIELD, bad)).patch("/v1/admin/plans/" + plan), 400,
                    "validation-failed").body("errors[0].field", equalTo(FIELD));
        }
        Map<String, Object> badCreate = new HashMap<>(Map.of("id", "px-bad-" + System.nanoTime() % 100000,
                "display_name", "Bad pixels", "max_upload_bytes", 1000, "storage_cap_bytes", 1000,
                "max_concurrent_jobs", 1, "rate_limits", Map.of(
                        "api_key", Map.of("requests_per_second", 1, "burst", 1),
                        "tenant", Map.of("requests_per_second", 1, "burst", 1)), FIELD, 0));
        assertProblem(operator.api().body(badCreate).post("/v1/admin/plans"), 400, "validation-failed")
                .body("errors[0].field", equalTo(FIELD));
        assertProblem(operator.api().get("/v1/admin/plans/" + badCreate.get("id")), 404, "not-found");
        // A field left out is unchanged.
        operator.api().body(Map.of("base_price", 1200)).patch("/v1/admin/plans/" + plan).then().statusCode(200)
                .body(FIELD, equalTo(5000));

        TestTenant tenant = TestTenant.signUp("Pixel plan reader");
        TestPlans.assign(tenant, plan);
        tenant.owner().api().get("/v1/plans/" + plan).then().statusCode(200).body(FIELD, equalTo(5000));
        String adminKey = tenant.apiKey("admin");
        assertProblem(tenant.owner().api().body(Map.of(FIELD, 999_999_999)).patch("/v1/admin/plans/" + plan), 403,
                "forbidden");
        assertProblem(withKey(adminKey).body(Map.of(FIELD, 999_999_999)).patch("/v1/admin/plans/" + plan), 403,
                "forbidden");
        tenant.owner().api().get("/v1/plans/" + plan).then().statusCode(200).body(FIELD, equalTo(5000));

        // An explicit null puts the plan back on the platform's default.
        Map<String, Object> reset = new HashMap<>();
        reset.put(FIELD, null);
        operator.api().body(reset).patch("/v1/admin/plans/" + plan).then().statusCode(200).body(FIELD, nullValue());

        String created = "px-" + System.nanoTime() % 1000000;
        Map<String, Object> create = new HashMap<>(badCreate);
        create.put("id", created);
        create.put(FIELD, 7);
        operator.api().body(create).post("/v1/admin/plans").then().statusCode(201).body(FIELD, equalTo(7));

        // The seeded plans grow with their tier.
        JsonPath plans = tenant.owner().api().get("/v1/plans").then().statusCode(200).extract().jsonPath();
        long free = plans.getLong("data.find { it.id == 'free' }." + FIELD);
        long starter = plans.getLong("data.find { it.id == 'starter' }." + FIELD);
        long pro = plans.getLong("data.find { it.id == 'pro' }." + FIELD);
        long enterprise = plans.getLong("data.find { it.id == 'enterprise' }." + FIELD);
        assertEquals(List.of(16_777_216L, 33_554_432L, 67_108_864L, 134_217_728L), List.of(free, starter, pro,
                enterprise));
    }

    @Test
    void aRequestOverThePlansPixelsAnswers413OnBothProtocolsAndIsNotMetered() {
        TestTenant tenant = TestTenant.signUp("Pixel counter");
        String plan = TestPlans.unlimited();
        TestPlans.assign(tenant, plan);
        String model = tinyImageModel(tenant);
        operator.api().body(Map.of(FIELD, 10_000)).patch("/v1/admin/plans/" + plan).then().statusCode(200);
        String key = tenant.apiKey("predict");
        String small = Base64.getEncoder().encodeToString(ImageZips.png(32, 1)); // 1,024 pixels
        String big = Base64.getEncoder().encodeToString(ImageZips.png(128, 2)); // 16,384 pixels

        withKey(key).body(Map.of("inputs", images(small, 2))).post("/v1/models/" + model + "/predict").then()
                .statusCode(200).body("data", hasSize(2));
        assertProblem(withKey(key).body(Map.of("inputs", images(big, 1))).post("/v1/models/" + model + "/predict"),
                413, "image-pixels-over-plan")
                .body("limit", equalTo(10_000)).body("pixels", equalTo(16_384)).body("plan", equalTo(plan))
                .body("detail", containsString("16384")).body("detail", containsString("10000"))
                .body("detail", containsString(plan))
                .body("errors[0].field", equalTo("inputs[0]"));
        // Ten small images: none is over the limit alone, together they are (10,240 pixels).
        assertProblem(withKey(key).body(Map.of("inputs", images(small, 10))).post("/v1/models/" + model + "/predict"),
                413, "image-pixels-over-plan")
                .body("pixels", equalTo(10_240)).body("errors[0].field", equalTo("inputs"));

        withKey(key).body(Map.of("inputs", List.of(tensor(small, 1)))).post("/v2/models/" + model + "/infer").then()
                .statusCode(200);
        assertProblem(withKey(key).body(Map.of("inputs", List.of(tensor(small, 10))))
                .post("/v2/models/" + model + "/infer"), 413, "image-pixels-over-plan")
                .body("limit", equalTo(10_000)).body("errors[0].field", equalTo("image"));
        assertProblem(withKey(key).body(Map.of("inputs", List.of(tensor(big, 1))))
                .post("/v2/models/" + model + "/infer"), 413, "image-pixels-over-plan")
                .body("errors[0].field", equalTo("image[0]"));
        // Image files as multipart parts: the refusal names the parts.
        assertProblem(withKey(key).contentType("multipart/form-data")
                .multiPart("image", "big.png", ImageZips.png(128, 2), "image/png")
                .post("/v1/models/" + model + "/predict"), 413, "image-pixels-over-plan")
                .body("pixels", equalTo(16_384)).body("errors[0].field", equalTo("image[0]"));
        RequestSpecification tenSmall = withKey(key).contentType("multipart/form-data");
        for (int i = 0; i < 10; i++) {
            tenSmall = tenSmall.multiPart("image", "small-" + i + ".png", ImageZips.png(32, 1), "image/png");
        }
        assertProblem(tenSmall.post("/v1/models/" + model + "/predict"), 413, "image-pixels-over-plan")
                .body("pixels", equalTo(10_240)).body("errors[0].field", equalTo("image"));

        // Only the two answered requests are in the ledger: three predictions, two API requests of the key.
        JsonPath predictions = tenant.owner().api().get("/v1/usage/events?meter=predictions&limit=100").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2), predictions.getList("data.quantity", Integer.class).stream().sorted().toList());
        JsonPath requests = tenant.owner().api().get("/v1/usage/events?meter=api_requests&limit=100").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(2, requests.getList("data.findAll { it.api_key_id != null }").size());

        // Back on the platform's default (64 Mi pixels), the big image is answered.
        Map<String, Object> reset = new HashMap<>();
        reset.put(FIELD, null);
        operator.api().body(reset).patch("/v1/admin/plans/" + plan).then().statusCode(200);
        withKey(key).body(Map.of("inputs", images(big, 1))).post("/v1/models/" + model + "/predict").then()
                .statusCode(200);
    }

    /** A cnn_small trained for one epoch on 90 shapes through the API, as a tenant would. */
    private static String tinyImageModel(TestTenant tenant) {
        String version = tenant.owner().api().contentType("application/zip").queryParam("task",
                "image_classification").queryParam("name", "pixels").body(ImageZips.shapes(90, 32, 3, 5))
                .post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "cnn_small",
                        "hyperparameters", Map.of("epochs", 1, "batch_size", 32)))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = tenant.owner().api().get("/v1/training-jobs/" + job).then().statusCode(200).extract()
                    .jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        assertEquals("succeeded", last[0].getString("state"), () -> "training ended " + last[0].prettify());
        return last[0].getString("model_id");
    }

    private static List<Map<String, String>> images(String base64, int count) {
        List<Map<String, String>> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(Map.of("image", base64));
        }
        return inputs;
    }

    private static Map<String, Object> tensor(String base64, int count) {
        return Map.of("name", "image", "shape", List.of(count), "datatype", "BYTES",
                "data", java.util.Collections.nCopies(count, base64));
    }
}

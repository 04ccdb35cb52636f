package io.modelyard.openai;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.NodeScripts;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible API under {@code /openai/v1}: driven by the official {@code openai} npm package (as a
 * tenant's existing code would), and checked over plain HTTP for what the SDK does not show — refusals that change
 * nothing, another tenant's ids, the error shape.
 */
@QuarkusTest
class OpenAiApiTest {

    @Inject
    ModelFixtures fixtures;

    private static final String EXAMPLES = """
            {"text": "where is my parcel", "label": "delivery"}
            {"text": "the courier never came", "label": "delivery"}
            {"text": "refund my order please", "label": "refund"}
            {"text": "I want my money back", "label": "refund"}
            {"messages": [{"role": "user", "content": "my parcel is late"}, {"role": "assistant", "content": "delivery"}]}
            {"prompt": "money back for the kettle", "completion": " refund"}
            """;

    @Test
    void theOfficialSdkUploadsFineTunesFollowsAndCancels() {
        TestTenant tenant = TestTenant.signUp("OpenAI SDK Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String key = tenant.apiKey("read", "datasets:write", "jobs:write", "predict", "admin");
        NodeScripts.Run run = NodeScripts.run("openai-sdk.test.mjs", Map.of(
                "OPENAI_BASE_URL", RestAssured.baseURI + ":" + RestAssured.port + "/openai/v1",
                "OPENAI_API_KEY", key), 4);
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void refusedUploadsAndJobsLeaveNothingBehind() {
        TestTenant tenant = TestTenant.signUp("OpenAI refusals");
        String key = tenant.apiKey("read", "datasets:write", "jobs:write");

        upload(as(key), "{\"oops\": 1}\n", "fine-tune").then().statusCode(400).contentType("application/json")
                .body("error.code", equalTo("invalid_file_format")).body("error.param", equalTo("file"))
                .body("error.type", equalTo("invalid_request_error"));
        upload(as(key), EXAMPLES, "batch").then().statusCode(400).body("error.code", equalTo("invalid_purpose"));
        upload(as(key), "", "fine-tune").then().statusCode(400).body("error.code", equalTo("invalid_file_format"));
        as(key).get("/openai/v1/files").then().statusCode(200).body("object", equalTo("list"))
                .body("data", equalTo(List.of()));
        as(key).get("/v1/datasets").then().body("data", equalTo(List.of()));

        String file = upload(as(key), EXAMPLES, "fine-tune").then().statusCode(200).body("filename", equalTo("ex.jsonl"))
                .extract().path("id");
        as(key).body(Map.of("model", "text_cnn", "training_file", file, "hyperparameters", Map.of("n_epochs", "many")))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(400)
                .body("error.param", equalTo("hyperparameters.n_epochs"));
        as(key).body(Map.of("model", "text_cnn", "training_file", file, "method", Map.of("type", "dpo")))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(400).body("error.param", equalTo("method.type"));
        as(key).body(Map.of("model", "text_cnn", "training_file", file, "unknown_field", 1))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(400).body("error.param", equalTo("unknown_field"));
        as(key).body("{not json").post("/openai/v1/fine_tuning/jobs").then().statusCode(400)
                .body("error.message", equalTo("The request body is not valid JSON."));
        as(key).get("/openai/v1/fine_tuning/jobs").then().statusCode(200).body("data", equalTo(List.of()))
                .body("has_more", equalTo(false));
        as(key).get("/v1/training-jobs").then().body("data", equalTo(List.of()));

        // A reader may look but not train: the scope check speaks OpenAI too.
        as(tenant.apiKey("read")).body(Map.of("model", "text_cnn", "training_file", file))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(403)
                .body("error.type", equalTo("permission_error"));
        RestAssured.given().get("/openai/v1/models").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void anotherTenantsFilesJobsAndModelsAreNotFound() {
        TestTenant owner = TestTenant.signUp("OpenAI owner");
        TestPlans.assign(owner, TestPlans.unlimited());
        String mineKey = owner.apiKey("read", "datasets:write", "jobs:write");
        String file = upload(as(mineKey), EXAMPLES, "fine-tune").then().statusCode(200).extract().path("id");
        String job = as(mineKey).body(Map.of("model", "bag_of_embeddings", "training_file", file,
                        "hyperparameters", Map.of("n_epochs", 1)))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.oneOf("queued", "running"))
                .body("fine_tuned_model", nullValue()).extract().path("id");
        as(mineKey).get("/openai/v1/fine_tuning/jobs").then().body("data.id", hasItem(job));

        String strangerKey = TestTenant.signUp("OpenAI stranger").apiKey("read", "datasets:write", "jobs:write",
                "admin");
        as(strangerKey).get("/openai/v1/files/" + file).then().statusCode(404).body("error.type",
                equalTo("invalid_request_error"));
        as(strangerKey).delete("/openai/v1/files/" + file).then().statusCode(404);
        as(strangerKey).get("/openai/v1/fine_tuning/jobs/" + job).then().statusCode(404);
        as(strangerKey).post("/openai/v1/fine_tuning/jobs/" + job + "/cancel").then().statusCode(404);
        as(strangerKey).get("/openai/v1/fine_tuning/jobs/" + job + "/events").then().statusCode(404);
        as(strangerKey).get("/openai/v1/fine_tuning/jobs/" + job + "/checkpoints").then().statusCode(404);
        as(strangerKey).body(Map.of("model", "text_cnn", "training_file", file)).post("/openai/v1/fine_tuning/jobs")
                .then().statusCode(400).body("error.code", equalTo("invalid_file"));
        as(strangerKey).get("/openai/v1/fine_tuning/jobs").then().body("data", equalTo(List.of()));
        String model = fixtures.register(owner.id(), "openai-owned", TrainedModels.topics());
        as(mineKey).get("/openai/v1/models/" + model).then().statusCode(200).body("owned_by", equalTo(owner.id()));
        // Fine-tuning one's own model starts from its weights; another tenant's model is not there to start from.
        String tuned = as(mineKey).body(Map.of("model", model, "training_file", file,
                        "hyperparameters", Map.of("n_epochs", 1)))
                .post("/openai/v1/fine_tuning/jobs").then().statusCode(200).body("model", equalTo(model))
                .extract().path("id");
        as(mineKey).get("/v1/training-jobs/" + tuned).then().statusCode(200)
                .body("transfer.init_from_model", equalTo(model));
        as(strangerKey).body(Map.of("model", model, "training_file", file)).post("/openai/v1/fine_tuning/jobs")
                .then().statusCode(400).body("error.code", equalTo("model_not_available"));
        as(strangerKey).get("/openai/v1/models/" + model).then().statusCode(404)
                .body("error.type", equalTo("invalid_request_error"));
        as(strangerKey).delete("/openai/v1/models/" + model).then().statusCode(404);
        as(strangerKey).get("/openai/v1/models").then().statusCode(200).body("data.id", not(hasItem(model)))
                .body("data.id", hasItem("text_cnn"));
        as(mineKey).get("/openai/v1/models/gpt-4o-mini").then().statusCode(404);
        as(mineKey).delete("/openai/v1/models/text_cnn").then().statusCode(403);
        as(mineKey).get("/openai/v1/files/" + file).then().statusCode(200);
        as(mineKey).post("/openai/v1/fine_tuning/jobs/" + job + "/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(
                200, 409));
    }

    private static io.restassured.response.Response upload(RequestSpecification as, String content, String purpose) {
        return as.contentType("multipart/form-data").multiPart("purpose", purpose)
                .multiPart("file", "ex.jsonl", content.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "application/jsonl")
                .post("/openai/v1/files");
    }

    private static RequestSpecification as(String key) {
        return RestAssured.given().auth().oauth2(key).contentType("application/json");
    }
}

package io.modelyard.model;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.storage.BlobStore;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.SimultaneousRequests;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ModelRegistryTest {

    private static final Map<String, Object> TINY = Map.of("epochs", 4, "batch_size", 32, "learning_rate", 0.01,
            "embedding_size", 16, "max_sequence_length", 16, "vocabulary_size", 300);

    @Inject
    BlobStore blobs;

    @Inject
    ModelFixtures fixtures;

    @Test
    void aModelDeletedWhileAnAliasIsPointedAtItNeverLeavesTheAliasDangling() {
        TestTenant tenant = TestTenant.signUp("Delete while aliasing");
        TestPlans.assign(tenant, TestPlans.unlimited());
        for (int round = 0; round < 10; round++) {
            String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
            String alias = "race-" + round;
            SimultaneousRequests.Answers answers = SimultaneousRequests.send(
                    () -> tenant.owner().api().delete("/v1/models/" + model),
                    () -> tenant.owner().api().body(Map.of("model_id", model)).put("/v1/model-aliases/" + alias));
            int deleted = answers.first().statusCode();
            int aliased = answers.second().statusCode();
            // One of them wins: the model is gone and the alias was refused, or the alias stands and the
            // deletion was refused because of it.
            assertTrue(deleted == 204 && aliased == 404 || deleted == 409 && aliased == 200,
                    "delete " + deleted + ", alias " + aliased);
            if (aliased == 200) {
                tenant.owner().api().get("/v1/models/" + model).then().statusCode(200).body("aliases", hasItem(alias));
            }
        }
    }

    @Test
    void versionsAliasesCardsAndDeletion() {
        TestTenant tenant = TestTenant.signUp("Registry");
        String version = Datasets.upload(tenant.owner().api(), "Support Tickets", "text_classification",
                GeneratedData.topics(300, 31));
        String first = train(tenant, version);
        String second = train(tenant, version);

        tenant.owner().api().get("/v1/models?name=support-tickets").then().statusCode(200)
                .body("data", hasSize(2))
                .body("data[0].id", equalTo(second))
                .body("data[0].version", equalTo(2))
                .body("data[1].version", equalTo(1));

        TestUser member = tenant.addMember("member");
        assertProblem(member.api(tenant.id()).body(Map.of("model_id", first)).put("/v1/model-aliases/production"),
                403, "insufficient-role");
        tenant.owner().api().body(Map.of("model_id", first)).put("/v1/model-aliases/production").then()
                .statusCode(200).body("model_id", equalTo(first));
        tenant.owner().api().body(Map.of("model_id", second)).put("/v1/model-aliases/production").then()
                .statusCode(200).body("model_id", equalTo(second));
        tenant.owner().api().get("/v1/models/" + second).then().body("aliases", hasItem("production"));
        tenant.owner().api().get("/v1/models/" + first).then().body("aliases", not(hasItem("production")));
        assertProblem(tenant.owner().api().body(Map.of("model_id", first)).put("/v1/model-aliases/Bad Name"), 400,
                "validation-failed");

        tenant.owner().api().get("/v1/models/" + second + "/card").then().statusCode(200)
                .body("object", equalTo("model_card"))
                .body("intended_use", containsString("politics"))
                .body("metrics.classification.per_class", hasSize(3))
                .body("limitations.size()", notNull())
                .body("markdown", containsString("## Known limits"));

        // Another tenant cannot remove this tenant's alias: in theirs, no alias has that name.
        TestTenant other = TestTenant.signUp("Registry other");
        assertProblem(other.owner().api().delete("/v1/model-aliases/production"), 404, "not-found");
        tenant.owner().api().get("/v1/models/" + second).then().body("aliases", hasItem("production"));

        assertProblem(tenant.owner().api().delete("/v1/models/" + second), 409, "model-has-aliases");
        String artifactKey = "tenants/" + tenant.id() + "/jobs/";
        assertTrue(blobs.list(artifactKey).anyMatch(b -> b.key().endsWith("model.zip")));
        tenant.owner().api().delete("/v1/model-aliases/production").then().statusCode(204);
        String secondJob = tenant.owner().api().get("/v1/models/" + second).then().extract().path("training_job_id");
        tenant.owner().api().delete("/v1/models/" + second).then().statusCode(204);
        assertProblem(tenant.owner().api().get("/v1/models/" + second), 404, "not-found");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertFalse(
                blobs.exists("tenants/" + tenant.id() + "/jobs/" + secondJob + "/model.zip"),
                "the artifact is deleted with the model"));
        tenant.owner().api().get("/v1/audit-events?action=model_alias.set").then().body("data", hasSize(2));
    }

    private static org.hamcrest.Matcher<Object> notNull() {
        return notNullValue();
    }

    private static String train(TestTenant tenant, String version) {
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters", TINY))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        String[] model = new String[1];
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var body = tenant.owner().api().get("/v1/training-jobs/" + job).then().extract().jsonPath();
            model[0] = body.getString("model_id");
            return "succeeded".equals(body.getString("state"));
        });
        return model[0];
    }
}

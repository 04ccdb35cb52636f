package io.modelyard.lifecycle;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retention a tenant opts into through PATCH /v1/tenants/{id}, applied by the sweeper. */
@QuarkusTest
class RetentionTest {

    @Inject
    RetentionSweeper sweeper;

    @Inject
    ModelFixtures fixtures;

    @Test
    void aTenantsOldDatasetsAndModelsGoWhenItOptsInButDeployedModelsAndOtherTenantsStay() {
        TestTenant tenant = TestTenant.signUp("Forgetful");
        TestTenant other = TestTenant.signUp("Keeps everything");
        String dataset = datasetOf(tenant);
        String plain = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        String deployed = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        tenant.owner().api().body(Map.of("model_id", deployed)).put("/v1/model-aliases/production").then()
                .statusCode(200);
        String othersDataset = datasetOf(other);
        String othersModel = fixtures.register(other.id(), "topics", TrainedModels.topics());

        tenant.owner().api().body(Map.of("retention", Map.of("datasets_days", 30, "models_days", 60)))
                .patch("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("retention.datasets_days", equalTo(30))
                .body("retention.models_days", equalTo(60))
                .body("retention.batch_results_days", nullValue());
        tenant.owner().api().get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("retention.datasets_days", equalTo(30));

        // Forty days on: the datasets are past their 30 days, the models not yet past their 60.
        sweeper.sweep(Instant.now().plus(Duration.ofDays(40)));
        assertProblem(tenant.owner().api().get("/v1/datasets/" + dataset), 404, "not-found");
        tenant.owner().api().get("/v1/models/" + plain).then().statusCode(200);

        // Seventy days on: the model nobody deployed goes; the one behind an alias stays.
        var outcome = sweeper.sweep(Instant.now().plus(Duration.ofDays(70)));
        assertTrue(outcome.models() >= 1, "deleted " + outcome);
        assertProblem(tenant.owner().api().get("/v1/models/" + plain), 404, "not-found");
        tenant.owner().api().get("/v1/models/" + deployed).then().statusCode(200);
        tenant.owner().api().get("/v1/audit-events?action=model.deleted").then().statusCode(200)
                .body("data[0].actor.id", equalTo("retention"));

        other.owner().api().get("/v1/datasets/" + othersDataset).then().statusCode(200);
        other.owner().api().get("/v1/models/" + othersModel).then().statusCode(200);
    }

    @Test
    void retentionIsAnAdminsSettingWithinBounds() {
        TestTenant tenant = TestTenant.signUp("Bounded");
        TestTenant other = TestTenant.signUp("Elsewhere");
        TestUser member = tenant.addMember("member");
        assertProblem(tenant.owner().api().body(Map.of("retention", Map.of("datasets_days", 0)))
                .patch("/v1/tenants/" + tenant.id()), 400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of("retention", Map.of("models_days", 5000)))
                .patch("/v1/tenants/" + tenant.id()), 400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of()).patch("/v1/tenants/" + tenant.id()), 400,
                "validation-failed");
        assertProblem(member.api().body(Map.of("retention", Map.of("datasets_days", 7)))
                .patch("/v1/tenants/" + tenant.id()), 403, "insufficient-role");
        assertProblem(other.owner().api().body(Map.of("retention", Map.of("datasets_days", 7)))
                .patch("/v1/tenants/" + tenant.id()), 404, "not-found");
        tenant.owner().api().get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("retention.datasets_days", nullValue());

        Map<String, Object> off = new HashMap<>();
        off.put("datasets_days", null);
        tenant.owner().api().body(Map.of("retention", Map.of("batch_results_days", 7)))
                .patch("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("retention.batch_results_days", equalTo(7));
        tenant.owner().api().body(Map.of("retention", off)).patch("/v1/tenants/" + tenant.id()).then()
                .statusCode(200).body("retention.batch_results_days", nullValue())
                .body("name", equalTo("Bounded"));
    }

    private static String datasetOf(TestTenant tenant) {
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(60, 11));
        return tenant.owner().api().get("/v1/dataset-versions/" + version).then().statusCode(200).extract()
                .path("dataset_id");
    }
}

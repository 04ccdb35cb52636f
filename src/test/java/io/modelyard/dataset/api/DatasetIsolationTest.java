package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.modelyard.common.TypedId;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Another tenant's dataset and version ids (and random or garbage ids) answer 404 on every dataset endpoint,
 * through a person's token and through an API key, and change nothing.
 */
@QuarkusTest
class DatasetIsolationTest {

    @Test
    void everyDatasetEndpointAnswers404ForForeignAndRandomIds() {
        TestTenant victim = TestTenant.signUp("Victim data");
        TestTenant attacker = TestTenant.signUp("Attacker data");
        var created = uploadCsv(victim, DatasetUploadTest.REVIEWS, "task", "text_classification",
                "label_column", "stars").then().statusCode(201).extract().jsonPath();
        String dataset = created.getString("id");
        String version = created.getString("latest_version.id");
        String attackerKey = attacker.apiKey("datasets:write", "read");
        List<Supplier<RequestSpecification>> callers = List.of(() -> as(attacker),
                () -> TestTenant.withKey(attackerKey));
        List<String[]> ids = List.of(new String[] {dataset, version},
                new String[] {TypedId.generate("ds"), TypedId.generate("dsv")},
                new String[] {"ds_nonsense", "../../etc/passwd"});
        for (Supplier<RequestSpecification> caller : callers) {
            for (String[] pair : ids) {
                for (Function<RequestSpecification, Response> call : calls(pair[0], pair[1])) {
                    assertProblem(call.apply(caller.get()), 404, "not-found");
                }
            }
            caller.get().get("/v1/datasets").then().statusCode(200).body("data", hasSize(0));
        }
        as(victim).get("/v1/datasets/" + dataset).then().statusCode(200).body("version_count", equalTo(1));
        as(victim).get("/v1/dataset-versions/" + version + "/rows").then().statusCode(200);
    }

    private static List<Function<RequestSpecification, Response>> calls(String dataset, String version) {
        return List.of(
                r -> r.get("/v1/datasets/" + dataset),
                r -> r.get("/v1/datasets/" + dataset + "/versions"),
                r -> r.delete("/v1/datasets/" + dataset),
                r -> r.get("/v1/dataset-versions/" + version),
                r -> r.get("/v1/dataset-versions/" + version + "/rows"),
                r -> r.get("/v1/dataset-versions/" + version + "/download"),
                r -> r.queryParam("format", "jsonl").get("/v1/dataset-versions/" + version + "/download"),
                r -> r.contentType("application/json").body(Map.of()).post("/v1/dataset-versions/" + version
                        + "/clean"));
    }
}

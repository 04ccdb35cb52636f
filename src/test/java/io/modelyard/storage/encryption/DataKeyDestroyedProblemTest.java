package io.modelyard.storage.encryption;

import static io.modelyard.testing.ProblemAssertions.assertProblem;

import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The window of an erasure in which a request already passed authentication but its tenant's data key is gone:
 * reads and writes answer 410 {@code tenant-erased}, not a 500, and another tenant is untouched.
 */
@QuarkusTest
class DataKeyDestroyedProblemTest {

    @Inject
    TenantDataKeys keys;

    @Inject
    TenantScope tenantScope;

    @Test
    void aRequestWhoseTenantsKeyWasDestroyedAnswersGone() {
        TestTenant erased = TestTenant.signUp("Key Gone");
        TestTenant neighbour = TestTenant.signUp("Key Kept");
        String version = upload(erased);
        String neighbourVersion = upload(neighbour);

        tenantScope.callAsPlatform("test: destroy a data key", () -> keys.destroy(erased.id()));

        assertProblem(erased.owner().api(erased.id()).get("/v1/dataset-versions/" + version + "/download"), 410,
                "tenant-erased");
        assertProblem(erased.owner().api(erased.id()).contentType("text/csv").body(csv())
                .queryParam("task", "text_classification").post("/v1/datasets"), 410, "tenant-erased");
        neighbour.owner().api(neighbour.id()).get("/v1/dataset-versions/" + neighbourVersion + "/download")
                .then().statusCode(200);
    }

    private static String upload(TestTenant tenant) {
        return tenant.owner().api(tenant.id()).contentType("text/csv").body(csv())
                .queryParam("task", "text_classification").post("/v1/datasets")
                .then().statusCode(201).extract().path("latest_version.id");
    }

    private static String csv() {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append("sample text number ").append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return csv.toString();
    }
}

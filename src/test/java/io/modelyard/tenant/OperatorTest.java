package io.modelyard.tenant;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperatorTest {

    final TestUser operator = Keycloak.operator();

    @Test
    void anOperatorSuspendsATenantAndEveryCallForItIsRefusedUntilResumed() {
        TestTenant tenant = TestTenant.signUp("Suspendable");
        String key = tenant.apiKey("read");
        withKey(key).get("/v1/members").then().statusCode(200);   // the key is now cached

        operator.api().body(Map.of("reason", "unpaid invoices")).post("/v1/admin/tenants/" + tenant.id() + "/suspend")
                .then().statusCode(200)
                .body("status", equalTo("suspended"))
                .body("suspended_reason", equalTo("unpaid invoices"));

        assertProblem(tenant.owner().api().get("/v1/members"), 403, "tenant-suspended");
        assertProblem(withKey(key).get("/v1/members"), 403, "tenant-suspended");
        assertProblem(tenant.owner().api().body(Map.of("name", "x", "scopes", java.util.List.of("read")))
                .post("/v1/api-keys"), 403, "tenant-suspended");
        tenant.owner().api().get("/v1/tenants").then().statusCode(200)
                .body("data[0].status", equalTo("suspended"));

        operator.api().get("/v1/admin/tenants?status=suspended&limit=100").then().statusCode(200)
                .body("data.id", hasItem(tenant.id()))
                .body("data.status", everyItem(equalTo("suspended")));
        operator.api().post("/v1/admin/tenants/" + tenant.id() + "/resume").then().statusCode(200)
                .body("status", equalTo("active"));
        tenant.owner().api().get("/v1/members").then().statusCode(200);
        withKey(key).get("/v1/members").then().statusCode(200);

        tenant.owner().api().get("/v1/audit-events?action=tenant.suspended").then().statusCode(200)
                .body("data[0].actor.type", equalTo("operator"))
                .body("data[0].details.reason", equalTo("unpaid invoices"));
    }

    @Test
    void onlyOperatorsReachOperatorEndpoints() {
        TestTenant tenant = TestTenant.signUp("Curious");
        String adminKey = tenant.apiKey("admin");
        assertProblem(tenant.owner().api().get("/v1/admin/tenants"), 403, "forbidden");
        assertProblem(tenant.owner().api().post("/v1/admin/tenants/" + tenant.id() + "/suspend"), 403, "forbidden");
        assertProblem(withKey(adminKey).get("/v1/admin/tenants"), 403, "forbidden");
        assertProblem(RestAssured.given().get("/v1/admin/tenants"), 401, "unauthenticated");
        tenant.owner().api().get("/v1/members").then().statusCode(200);
        operator.api().get("/v1/admin/tenants/" + tenant.id()).then().statusCode(200)
                .body("status", equalTo("active"));
        assertProblem(operator.api().get("/v1/admin/tenants/ten_00000000000000000000000000"), 404, "not-found");
    }

    @Test
    void anOperatorSeesEveryTenantButNoTenantSeesAnother() {
        TestTenant one = TestTenant.signUp("One");
        TestTenant two = TestTenant.signUp("Two");
        operator.api().get("/v1/admin/tenants?limit=100").then().statusCode(200)
                .body("data.id", hasItem(one.id()))
                .body("data.id", hasItem(two.id()));
        one.owner().api().get("/v1/tenants").then().body("data.id", not(hasItem(two.id())));
    }
}

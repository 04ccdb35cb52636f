package io.modelyard.billing.statements;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Tenants see only their own usage, credits and invoices, and cannot reach operator endpoints. */
@QuarkusTest
class BillingIsolationTest {

    final TestUser operator = Keycloak.operator();

    @Test
    void tenantsCannotCallOperatorEndpoints() {
        TestTenant tenant = TestTenant.signUp("Not an operator");
        String adminKey = tenant.apiKey("admin");
        List<Supplier<RequestSpecification>> callers = List.of(() -> tenant.owner().api(), () -> withKey(adminKey));
        String id = tenant.id();
        for (Supplier<RequestSpecification> caller : callers) {
            assertProblem(caller.get().get("/v1/admin/plans"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/plans/free"), 403, "forbidden");
            assertProblem(caller.get().body(Map.of("id", "mine", "display_name", "Mine")).post("/v1/admin/plans"),
                    403, "forbidden");
            assertProblem(caller.get().body(Map.of("base_price", 0)).patch("/v1/admin/plans/free"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/billing-accounts/" + id), 403, "forbidden");
            assertProblem(caller.get().body(Map.of("plan", "enterprise")).patch("/v1/admin/billing-accounts/" + id),
                    403, "forbidden");
            assertProblem(caller.get().body(Map.of("meter", "api_requests", "quantity", 1000000, "reason", "me"))
                    .post("/v1/admin/billing-accounts/" + id + "/credits"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/billing-accounts/" + id + "/credits"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/billing-accounts/" + id + "/usage"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/billing-accounts/" + id + "/invoice-preview"), 403,
                    "forbidden");
            assertProblem(caller.get().get("/v1/admin/usage"), 403, "forbidden");
            assertProblem(caller.get().get("/v1/admin/usage/export?format=stripe"), 403, "forbidden");
        }
        assertProblem(RestAssured.given().get("/v1/admin/usage/export"), 401, "unauthenticated");
        assertProblem(RestAssured.given().get("/v1/usage"), 401, "unauthenticated");
        tenant.owner().api().get("/v1/admin/billing-accounts/" + id).then().statusCode(403);
        operator.api().get("/v1/admin/billing-accounts/" + id).then().statusCode(200).body("plan", equalTo("free"));
    }

    @Test
    void anotherTenantsUsageEventsAndCreditsAnswer404AndFiltersFindNothing() {
        TestTenant victim = TestTenant.signUp("Victim of curiosity");
        TestTenant attacker = TestTenant.signUp("Curious");
        TestPlans.assign(victim, TestPlans.unlimited());
        String victimKey = victim.apiKey("read");
        withKey(victimKey).get("/v1/ping").then().statusCode(200);
        String victimKeyId = victim.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");
        // (the owner's own requests are in the ledger too; the key's is the one with an API key)
        String victimEvent = victim.owner().api().get("/v1/usage/events").then().statusCode(200)
                .body("data.findAll { it.api_key_id != null }", hasSize(1))
                .extract().path("data.find { it.api_key_id != null }.id");
        String victimCredit = operator.api().body(Map.of("meter", "predictions", "quantity", 10, "reason", "gift"))
                .post("/v1/admin/billing-accounts/" + victim.id() + "/credits").then().statusCode(201)
                .extract().path("id");
        victim.owner().api().get("/v1/usage/events/" + victimEvent).then().statusCode(200);
        victim.owner().api().get("/v1/credits/" + victimCredit).then().statusCode(200);
        withKey(victimKey).get("/v1/usage/events/" + victimEvent).then().statusCode(200);

        String attackerKey = attacker.apiKey("read", "admin");
        List<Supplier<RequestSpecification>> callers = List.of(() -> attacker.owner().api(),
                () -> withKey(attackerKey));
        for (Supplier<RequestSpecification> caller : callers) {
            assertProblem(caller.get().get("/v1/usage/events/" + victimEvent), 404, "not-found");
            assertProblem(caller.get().get("/v1/credits/" + victimCredit), 404, "not-found");
            caller.get().get("/v1/usage/events?api_key_id=" + victimKeyId).then().statusCode(200)
                    .body("data", hasSize(0));
            caller.get().get("/v1/usage/daily?api_key_id=" + victimKeyId).then().statusCode(200)
                    .body("data", hasSize(0));
            caller.get().get("/v1/usage/hourly?group_by=api_key").then().statusCode(200)
                    .body("data.api_key_id", everyItem(org.hamcrest.Matchers.not(equalTo(victimKeyId))));
            caller.get().get("/v1/credits").then().statusCode(200).body("data", hasSize(0));
            caller.get().get("/v1/usage").then().statusCode(200).body("tenant_id", equalTo(attacker.id()))
                    .body("meters.find { it.meter == 'predictions' }.included", equalTo(10000));
            caller.get().get("/v1/invoices/preview").then().statusCode(200).body("tenant_id", equalTo(attacker.id()));
        }
        // Picking the victim's tenant explicitly does not work either.
        assertProblem(attacker.owner().api().header("Modelyard-Tenant", victim.id()).get("/v1/usage"), 404,
                "tenant-not-found");
    }

    @Test
    void membersReadUsageButOnlyOwnersAndAdminsSeeMoney() {
        TestTenant tenant = TestTenant.signUp("Roles");
        TestUser viewer = tenant.addMember("viewer");
        viewer.api().get("/v1/usage").then().statusCode(200);
        viewer.api().get("/v1/usage/events").then().statusCode(200);
        assertProblem(viewer.api().get("/v1/invoices/preview"), 403, "insufficient-role");
        assertProblem(viewer.api().get("/v1/credits"), 403, "insufficient-role");
        String predictKey = tenant.apiKey("predict");
        assertProblem(withKey(predictKey).get("/v1/usage"), 403, "insufficient-scope");
        tenant.owner().api().get("/v1/invoices/preview").then().statusCode(200);
    }
}

package io.modelyard.tenant;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.modelyard.common.TypedId;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The BOLA matrix: two tenants; every endpoint that takes an id, called by one tenant with the other's ids
 * (and with random and garbage ids), answers 404, changes nothing, and no list ever shows a foreign row.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {

    record Call(String method, String path, Object body) {
    }

    TestTenant victim;
    TestTenant attacker;
    String victimKey;
    String victimKeyId;
    String victimMemberId;

    @BeforeEach
    void twoTenants() {
        if (victim != null) {
            return;
        }
        victim = TestTenant.signUp("Victim");
        attacker = TestTenant.signUp("Attacker");
        // dozens of calls in a row: a person's requests are rate-limited like a key's, and that is not tested here
        String unlimited = TestPlans.unlimited();
        TestPlans.assign(victim, unlimited);
        TestPlans.assign(attacker, unlimited);
        victimKey = victim.apiKey("read");
        victimKeyId = victim.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");
        victimMemberId = victim.owner().api().body(Map.of("email", "invitee@victim.example", "role", "member"))
                .post("/v1/members").then().statusCode(201).extract().path("id");
    }

    List<Call> callsOn(String tenantId, String memberId, String keyId) {
        return List.of(
                new Call("GET", "/v1/tenants/" + tenantId, null),
                new Call("PATCH", "/v1/tenants/" + tenantId, Map.of("name", "Owned")),
                new Call("GET", "/v1/members/" + memberId, null),
                new Call("PATCH", "/v1/members/" + memberId, Map.of("role", "owner")),
                new Call("DELETE", "/v1/members/" + memberId, null),
                new Call("GET", "/v1/api-keys/" + keyId, null),
                new Call("POST", "/v1/api-keys/" + keyId + "/revoke", null),
                new Call("POST", "/v1/api-keys/" + keyId + "/rotate", Map.of()));
    }

    @Test
    void everyEndpointAnswers404ForAnotherTenantsIds() {
        String attackerAdminKey = attacker.apiKey("admin", "read");
        List<Supplier<RequestSpecification>> callers = List.of(
                () -> attacker.owner().api(),
                () -> withKey(attackerAdminKey));
        for (Supplier<RequestSpecification> caller : callers) {
            for (Call call : callsOn(victim.id(), victimMemberId, victimKeyId)) {
                assertProblem(send(caller.get(), call), 404, "not-found");
            }
        }
        // Nothing changed on the victim's side.
        withKey(victimKey).get("/v1/members").then().statusCode(200);
        victim.owner().api().get("/v1/members/" + victimMemberId).then().statusCode(200)
                .body("role", equalTo("member"));
        victim.owner().api().get("/v1/tenants/" + victim.id()).then().body("name", equalTo("Victim"));
    }

    @Test
    void randomAndGarbageIdsAnswer404Too() {
        String random = TypedId.generate("x");
        for (String id : List.of(TypedId.generate("ten"), TypedId.generate("mem"), TypedId.generate("key"),
                random, "1", "%2e%2e", "key_' or '1'='1")) {
            for (Call call : callsOn(id, id, id)) {
                assertProblem(send(attacker.owner().api(), call), 404, "not-found");
            }
        }
    }

    @Test
    void noListEverShowsAForeignRow() {
        List<String> victimIds = List.of(victim.id(), victimMemberId, victimKeyId);
        for (String list : List.of("/v1/tenants", "/v1/members", "/v1/api-keys?include_revoked=true",
                "/v1/audit-events")) {
            attacker.owner().api().get(list).then().statusCode(200)
                    .body("data.id", everyItem(not(org.hamcrest.Matchers.in(victimIds))));
        }
        attacker.owner().api().get("/v1/audit-events").then()
                .body("data.tenant_id", everyItem(equalTo(attacker.id())));
        victim.owner().api().get("/v1/audit-events").then().body("data.target.id", hasItem(victimKeyId));
    }

    @Test
    void anApiKeyCannotBePointedAtAnotherTenant() {
        String attackerKey = attacker.apiKey("read");
        assertProblem(withKey(attackerKey).header("Modelyard-Tenant", victim.id()).get("/v1/members"),
                404, "tenant-not-found");
        assertProblem(attacker.owner().api(victim.id()).get("/v1/members"), 404, "tenant-not-found");
    }

    private static io.restassured.response.Response send(RequestSpecification request, Call call) {
        if (call.body() != null) {
            request = request.body(call.body());
        }
        return request.request(call.method(), call.path());
    }
}

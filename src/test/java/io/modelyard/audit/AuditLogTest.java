package io.modelyard.audit;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditLogTest {

    @Test
    void tenantMemberAndKeyChangesAreRecordedWithWhoWhenAndWhere() {
        TestTenant tenant = TestTenant.signUp("Audited");
        TestUser admin = tenant.addMember("admin");
        String keyId = admin.api().header("X-Request-Id", "audit-trace-1")
                .body(Map.of("name", "ci", "scopes", List.of("read")))
                .post("/v1/api-keys").then().statusCode(201).extract().path("id");
        admin.api().post("/v1/api-keys/" + keyId + "/revoke").then().statusCode(200);
        String adminKey = tenant.apiKey("admin");
        withKey(adminKey).body(Map.of("name", "Audited Inc")).patch("/v1/tenants/" + tenant.id())
                .then().statusCode(200);

        tenant.owner().api().get("/v1/audit-events?limit=100").then().statusCode(200)
                .body("data.action", hasItems("tenant.created", "member.invited", "api_key.created",
                        "api_key.revoked", "tenant.renamed"));
        tenant.owner().api().get("/v1/audit-events?action=api_key.revoked").then()
                .body("data[0].actor.type", equalTo("user"))
                .body("data[0].actor.id", equalTo(admin.subject()))
                .body("data[0].target.type", equalTo("api_key"))
                .body("data[0].target.id", equalTo(keyId))
                .body("data[0].source_ip", notNullValue())
                .body("data[0].created_at", notNullValue());
        tenant.owner().api().get("/v1/audit-events?action=api_key.created&target_id=" + keyId).then()
                .body("data[0].client_request_id", equalTo("audit-trace-1"))
                .body("data[0].request_id", org.hamcrest.Matchers.startsWith("req_"))
                .body("data[0].details.scopes", equalTo("read"));
        tenant.owner().api().get("/v1/audit-events?action=tenant.renamed").then()
                .body("data[0].actor.type", equalTo("api_key"))
                .body("data[0].details.to", equalTo("Audited Inc"));
    }

    @Test
    void theClientAddressComesFromXForwardedForOnlyThroughATrustedProxy() throws Exception {
        TestTenant tenant = TestTenant.signUp("Proxied");
        // From 127.0.0.1, which tests do not trust as a proxy: the header is a client's claim and is ignored.
        String direct = tenant.owner().api().header("X-Forwarded-For", "203.0.113.66")
                .body(Map.of("name", "direct", "scopes", List.of("read"))).post("/v1/api-keys")
                .then().statusCode(201).extract().path("id");
        // From 127.0.0.2, the trusted proxy of the test profile: the header names the client.
        String proxied = io.restassured.RestAssured.given()
                .config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig
                        .httpClientConfig().setParam("http.route.local-address",
                                java.net.InetAddress.getByName("127.0.0.2"))))
                .auth().oauth2(tenant.owner().token()).contentType("application/json")
                .header("X-Forwarded-For", "203.0.113.7")
                .body(Map.of("name", "proxied", "scopes", List.of("read"))).post("/v1/api-keys")
                .then().statusCode(201).extract().path("id");

        tenant.owner().api().get("/v1/audit-events?action=api_key.created&target_id=" + direct).then()
                .body("data[0].source_ip", equalTo("127.0.0.1"));
        tenant.owner().api().get("/v1/audit-events?action=api_key.created&target_id=" + proxied).then()
                .body("data[0].source_ip", equalTo("203.0.113.7"));
    }

    @Test
    void onlyOwnersAndAdminsReadTheLog() {
        TestTenant tenant = TestTenant.signUp("Private log");
        assertProblem(tenant.addMember("member").api().get("/v1/audit-events"), 403, "insufficient-role");
        tenant.addMember("admin").api().get("/v1/audit-events").then().statusCode(200);
    }
}

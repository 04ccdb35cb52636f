package io.modelyard.auth;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key never outlives the rights of the person who made it, and rotating one cannot raise them: what a tenant's
 * owner expects after taking someone's access away.
 */
@QuarkusTest
class KeyAccessLifecycleTest {

    @Test
    void removingAMemberRevokesEveryKeyTheyMadeAtOnce() {
        TestTenant tenant = TestTenant.signUp("Leavers");
        TestUser leaver = tenant.addMember("member");
        String secret = keyOf(leaver, "deploy bot", "predict", "read");
        withKey(secret).get("/v1/ping").then().statusCode(200).body("authenticated", equalTo(true));
        String memberId = memberIdOf(tenant, leaver);

        tenant.owner().api().delete("/v1/members/" + memberId).then().statusCode(204);

        assertProblem(withKey(secret).get("/v1/datasets"), 401, "unauthenticated");
        tenant.owner().api().get("/v1/api-keys?include_revoked=true").then().statusCode(200)
                .body("data.find { it.name == 'deploy bot' }.status", equalTo("revoked"));
        tenant.owner().api().get("/v1/audit-events?action=api_key.revoked").then()
                .body("data[0].details.reason", equalTo("creator removed"));
    }

    @Test
    void loweringARoleNarrowsTheKeysOfThatPersonToTheNewRole() {
        TestTenant tenant = TestTenant.signUp("Demotions");
        TestUser admin = tenant.addMember("admin");
        String wide = keyOf(admin, "ops", "admin", "read", "predict");
        String adminOnly = keyOf(admin, "keys only", "admin");
        withKey(wide).get("/v1/audit-events").then().statusCode(200);

        tenant.owner().api().body(Map.of("role", "viewer")).patch("/v1/members/" + memberIdOf(tenant, admin))
                .then().statusCode(200);

        assertProblem(withKey(wide).get("/v1/audit-events"), 403, "insufficient-scope");
        withKey(wide).get("/v1/datasets").then().statusCode(200);
        assertProblem(withKey(adminOnly).get("/v1/datasets"), 401, "unauthenticated");
        tenant.owner().api().get("/v1/api-keys?include_revoked=true").then().statusCode(200)
                .body("data.find { it.name == 'ops' }.scopes", equalTo(List.of("read")))
                .body("data.find { it.name == 'keys only' }.status", equalTo("revoked"));
    }

    @Test
    void rotationNeedsTheScopesAndKeepsTheExpiry() {
        TestTenant tenant = TestTenant.signUp("Rotations");
        Instant expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String keyId = tenant.owner().api().body(Map.of("name", "expiring", "scopes", List.of("read", "admin"),
                "expires_at", expiry.toString())).post("/v1/api-keys").then().statusCode(201).extract().path("id");

        // The replacement keeps the old key's expiry.
        String rotatedExpiry = tenant.owner().api().post("/v1/api-keys/" + keyId + "/rotate").then().statusCode(201)
                .extract().path("expires_at");
        assertEquals(expiry, Instant.parse(rotatedExpiry));

        // A member may not rotate their own key into one that lives longer, nor keep scopes they lost.
        TestUser member = tenant.addMember("member");
        String memberKey = member.api().body(Map.of("name", "mine", "scopes", List.of("predict"),
                "expires_at", expiry.toString())).post("/v1/api-keys").then().statusCode(201).extract().path("id");
        assertProblem(member.api().body(Map.of("expires_at", expiry.plus(365, ChronoUnit.DAYS).toString()))
                .post("/v1/api-keys/" + memberKey + "/rotate"), 403, "expiry-not-grantable");
        String shorter = member.api().body(Map.of("expires_at", expiry.minus(1, ChronoUnit.DAYS).toString()))
                .post("/v1/api-keys/" + memberKey + "/rotate").then().statusCode(201).extract().path("expires_at");
        assertEquals(expiry.minus(1, ChronoUnit.DAYS), Instant.parse(shorter));

        // An admin API key may manage every key, but it cannot mint itself a secret with scopes it lacks by
        // rotating another key: the same rule as creating one.
        String predictKey = tenant.owner().api().body(Map.of("name", "predictor", "scopes", List.of("predict")))
                .post("/v1/api-keys").then().statusCode(201).extract().path("id");
        String adminKey = tenant.apiKey("admin");
        assertProblem(withKey(adminKey).post("/v1/api-keys/" + predictKey + "/rotate"), 403, "scope-not-grantable");
        tenant.owner().api().get("/v1/api-keys/" + predictKey).then().body("status", equalTo("active"))
                .body("expires_at", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void unknownKeysAreRememberedAndLookupsPerAddressAreBounded() throws Exception {
        // From an address of its own (127.0.0.3), so that other tests' buckets are not drained: well-formed keys
        // that match nothing are looked up until the address's budget is spent, then refused with 429 before any
        // query, while a valid key from the same address still works (it is served from memory).
        TestTenant tenant = TestTenant.signUp("Guessers");
        String valid = tenant.apiKey("read");
        fromAddress("127.0.0.3").auth().oauth2(valid).get("/v1/ping").then().statusCode(200);
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < 200; i++) {
            io.restassured.response.Response response = fromAddress("127.0.0.3").auth()
                    .oauth2(ApiKeySecret.generate()).get("/v1/ping");
            if (response.statusCode() == 401) {
                refused++;
            } else if (response.statusCode() == 429) {
                if (throttled++ == 0) {
                    assertProblem(response, 429, "key-lookups-throttled").header("Retry-After", notNullValue());
                }
            }
        }
        assertEquals(200, refused + throttled, "every made-up key is refused");
        assertTrue(throttled > 0, "guessing is throttled after " + refused + " look-ups");
        fromAddress("127.0.0.3").auth().oauth2(valid).get("/v1/ping").then().statusCode(200)
                .body("authenticated", equalTo(true));
        // Another address is not affected.
        assertProblem(withKey(ApiKeySecret.generate()).get("/v1/ping"), 401, "unauthenticated");
    }

    /** Requests sent from another loopback address (all of 127.0.0.0/8 is this machine). */
    static RequestSpecification fromAddress(String address) throws UnknownHostException {
        return RestAssured.given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", InetAddress.getByName(address))));
    }

    private static String keyOf(TestUser person, String name, String... scopes) {
        return person.api().body(Map.of("name", name, "scopes", List.of(scopes))).post("/v1/api-keys")
                .then().statusCode(201).extract().path("secret");
    }

    private static String memberIdOf(TestTenant tenant, TestUser person) {
        String id = tenant.owner().api().get("/v1/members?limit=100").then().statusCode(200).extract()
                .path("data.find { it.email == '" + person.email() + "' }.id");
        return id;
    }
}

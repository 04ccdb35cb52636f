package io.modelyard.auth;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.SimultaneousRequests;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyLifecycleTest {

    @Test
    void aKeyIsShownOnceRecognisableOfflineAndStoredOnlyAsAHash() {
        TestTenant tenant = TestTenant.signUp("Keys");
        ExtractableResponse<Response> created = tenant.owner().api()
                .body(Map.of("name", "checkout", "scopes", List.of("predict", "read")))
                .post("/v1/api-keys")
                .then().statusCode(201)
                .body("object", equalTo("api_key"))
                .body("id", matchesPattern("key_[0-9a-z]{26}"))
                .body("secret", matchesPattern("myd_live_[0-9A-Za-z]{38}"))
                .body("status", equalTo("active"))
                .body("scopes", equalTo(List.of("read", "predict")))
                .extract();
        String secret = created.path("secret");
        String id = created.path("id");
        assertTrue(secret.startsWith(created.<String>path("prefix")));
        assertTrue(ApiKeySecret.isWellFormed(secret), "the checksum tail verifies offline");
        String typo = secret.substring(0, 20) + (secret.charAt(20) == 'a' ? 'b' : 'a') + secret.substring(21);
        assertTrue(!ApiKeySecret.isWellFormed(typo), "a one-character typo fails the checksum");

        tenant.owner().api().get("/v1/api-keys/" + id).then().statusCode(200)
                .body("$", not(hasKey("secret")))
                .body("name", equalTo("checkout"));
        tenant.owner().api().get("/v1/api-keys").then().statusCode(200)
                .body("data.id", hasItem(id))
                .body("data.findAll { it.secret != null }", equalTo(List.of()));
    }

    @Test
    void aKeyActsForItsTenantWithinItsScopesAndRecordsItsLastUse() {
        TestTenant tenant = TestTenant.signUp("Scoped");
        String reader = tenant.apiKey("read");
        withKey(reader).get("/v1/ping").then().statusCode(200)
                .body("authenticated", equalTo(true))
                .body("tenant_id", equalTo(tenant.id()));
        withKey(reader).get("/v1/members").then().statusCode(200);
        assertProblem(withKey(reader).body(Map.of("name", "escalate", "scopes", List.of("read")))
                .post("/v1/api-keys"), 403, "insufficient-scope");
        assertProblem(withKey(reader).get("/v1/audit-events"), 403, "insufficient-scope");

        String readerId = tenant.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                tenant.owner().api().get("/v1/api-keys/" + readerId).then().body("last_used_at", notNullValue()));

        String admin = tenant.apiKey("admin");
        withKey(admin).get("/v1/audit-events").then().statusCode(200);
        // An admin key may mint keys, but only with scopes it holds itself.
        withKey(admin).body(Map.of("name", "sub", "scopes", List.of("read"))).post("/v1/api-keys")
                .then().statusCode(201);
        assertProblem(withKey(admin).body(Map.of("name", "sub", "scopes", List.of("predict"))).post("/v1/api-keys"),
                403, "scope-not-grantable");
    }

    @Test
    void aRevokedKeyIsRefusedOnTheVeryNextRequest() {
        TestTenant tenant = TestTenant.signUp("Revoking");
        String key = tenant.apiKey("read");
        withKey(key).get("/v1/members").then().statusCode(200);
        String id = tenant.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");

        tenant.owner().api().post("/v1/api-keys/" + id + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked"))
                .body("revoked_at", notNullValue());
        assertProblem(withKey(key).get("/v1/members"), 401, "unauthenticated")
                .header("WWW-Authenticate", matchesPattern("Bearer.*"))
                .body("detail", equalTo("This API key has been revoked."));
        tenant.owner().api().get("/v1/api-keys").then().body("data.id", not(hasItem(id)));
        tenant.owner().api().get("/v1/api-keys?include_revoked=true").then().body("data.id", hasItem(id));
    }

    @Test
    void anExpiredKeyIsRefused() throws InterruptedException {
        TestTenant tenant = TestTenant.signUp("Expiring");
        // long enough that a slow machine still uses the key before it expires; then wait for the expiry itself
        Instant expiresAt = Instant.now().plusSeconds(5);
        String key = tenant.owner().api()
                .body(Map.of("name", "short", "scopes", List.of("read"), "expires_at", expiresAt.toString()))
                .post("/v1/api-keys").then().statusCode(201).extract().path("secret");
        withKey(key).get("/v1/members").then().statusCode(200);
        sleepUntilPast(expiresAt);
        assertProblem(withKey(key).get("/v1/members"), 401, "unauthenticated")
                .body("detail", equalTo("This API key has expired."));
        assertProblem(tenant.owner().api().body(Map.of("name", "past", "scopes", List.of("read"),
                "expires_at", "2020-01-01T00:00:00Z")).post("/v1/api-keys"), 400, "validation-failed")
                .body("errors[0].field", equalTo("expires_at"));
    }

    @Test
    void aRotatedKeyKeepsWorkingUntilItsChosenExpiryThenStops() throws InterruptedException {
        TestTenant tenant = TestTenant.signUp("Rotating");
        String old = tenant.apiKey("read", "predict");
        String oldId = tenant.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");

        Instant oldExpiresAt = Instant.now().plusSeconds(5);
        ExtractableResponse<Response> rotated = tenant.owner().api()
                .body(Map.of("old_key_expires_at", oldExpiresAt.toString()))
                .post("/v1/api-keys/" + oldId + "/rotate")
                .then().statusCode(201)
                .body("rotated_from", equalTo(oldId))
                .body("scopes", equalTo(List.of("read", "predict")))
                .extract();
        String fresh = rotated.path("secret");

        withKey(old).get("/v1/members").then().statusCode(200);
        withKey(fresh).get("/v1/members").then().statusCode(200);
        sleepUntilPast(oldExpiresAt);
        assertProblem(withKey(old).get("/v1/members"), 401, "unauthenticated");
        withKey(fresh).get("/v1/members").then().statusCode(200);
        assertProblem(tenant.owner().api().post("/v1/api-keys/" + oldId + "/rotate"), 409, "api-key-inactive");
    }

    @Test
    void malformedAndUnknownKeysAreRefusedWithoutAServerError() {
        assertProblem(withKey("myd_live_short").get("/v1/members"), 401, "unauthenticated")
                .body("detail", equalTo("Malformed API key: check that it was copied whole."));
        String unknown = ApiKeySecret.generate();
        assertProblem(withKey(unknown).get("/v1/members"), 401, "unauthenticated")
                .body("detail", equalTo("Unknown API key."));
        assertProblem(withKey("myd_" + "x".repeat(5000)).get("/v1/members"), 401, "unauthenticated");
    }

    @Test
    void membersManageOnlyTheirOwnKeysAndAdminsManageAll() {
        TestTenant tenant = TestTenant.signUp("Ownership");
        TestUser alice = tenant.addMember("member");
        TestUser bob = tenant.addMember("member");
        String aliceKey = alice.api().body(Map.of("name", "alice", "scopes", List.of("read")))
                .post("/v1/api-keys").then().statusCode(201).extract().path("id");
        assertProblem(bob.api().post("/v1/api-keys/" + aliceKey + "/revoke"), 403, "insufficient-role");
        alice.api().post("/v1/api-keys/" + aliceKey + "/rotate").then().statusCode(201);
        tenant.owner().api().post("/v1/api-keys/" + aliceKey + "/revoke").then().statusCode(200);
    }

    @Test
    void aRetriedRotationReplaysItsReplacementInsteadOfMakingAnother() {
        TestTenant tenant = TestTenant.signUp("Retrying rotation");
        tenant.apiKey("read");
        String oldId = tenant.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");
        Map<String, Object> body = Map.of("old_key_expires_at", Instant.now().plusSeconds(3600).toString());
        ExtractableResponse<Response> first = tenant.owner().api().header("Idempotency-Key", "rot-1").body(body)
                .post("/v1/api-keys/" + oldId + "/rotate").then().statusCode(201)
                .body("secret", notNullValue()).extract();
        tenant.owner().api().header("Idempotency-Key", "rot-1").body(body)
                .post("/v1/api-keys/" + oldId + "/rotate").then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.path("id")))
                .body("secret", nullValue());
        assertEquals(2, tenant.owner().api().get("/v1/api-keys").then().extract().<List<?>>path("data").size(),
                "the old key and one replacement");
        assertProblem(tenant.owner().api().header("Idempotency-Key", "rot-1").body(Map.of())
                .post("/v1/api-keys/" + oldId + "/rotate"), 409, "idempotency-key-reused");
        // The same key on another API key's rotation is a different request, refused the same way.
        tenant.apiKey("predict");
        String otherId = tenant.owner().api().get("/v1/api-keys").then().extract()
                .path("data.find { it.scopes == ['predict'] }.id");
        assertProblem(tenant.owner().api().header("Idempotency-Key", "rot-1").body(body)
                .post("/v1/api-keys/" + otherId + "/rotate"), 409, "idempotency-key-reused");
    }

    @Test
    void aRevocationIsNeverUndoneByARotationOfTheSameKeyAtTheSameMoment() {
        TestTenant tenant = TestTenant.signUp("Revoke while rotating");
        TestPlans.assign(tenant, TestPlans.unlimited());
        for (int round = 0; round < 10; round++) {
            String id = tenant.owner().api().body(Map.of("name", "leaked " + round, "scopes", List.of("read")))
                    .post("/v1/api-keys").then().statusCode(201).extract().path("id");
            SimultaneousRequests.Answers answers = SimultaneousRequests.send(
                    () -> tenant.owner().api().post("/v1/api-keys/" + id + "/revoke"),
                    () -> tenant.owner().api().body(Map.of()).post("/v1/api-keys/" + id + "/rotate"));
            assertEquals(200, answers.first().statusCode(), answers.first().asString());
            // The rotation went first (201: its replacement stands) or found the key revoked (409); either way
            // the revoked key stays revoked.
            assertTrue(List.of(201, 409).contains(answers.second().statusCode()), answers.second().asString());
            tenant.owner().api().get("/v1/api-keys/" + id).then().body("status", equalTo("revoked"));
        }
    }

    @Test
    void createIsIdempotentAndAReplayNeverShowsTheSecretAgain() {
        TestTenant tenant = TestTenant.signUp("Replaying");
        Map<String, Object> body = Map.of("name", "ci", "scopes", List.of("read"));
        ExtractableResponse<Response> first = tenant.owner().api().header("Idempotency-Key", "k-1").body(body)
                .post("/v1/api-keys").then().statusCode(201).body("secret", notNullValue()).extract();
        tenant.owner().api().header("Idempotency-Key", "k-1").body(body)
                .post("/v1/api-keys").then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.path("id")))
                .body("secret", nullValue());
        assertEquals(1, tenant.owner().api().get("/v1/api-keys").then().extract().<List<?>>path("data").size());
        assertProblem(tenant.owner().api().header("Idempotency-Key", "k-1")
                .body(Map.of("name", "other", "scopes", List.of("read"))).post("/v1/api-keys"),
                409, "idempotency-key-reused");
        assertProblem(tenant.owner().api().body(Map.of("name", "bad", "scopes", List.of("root")))
                .post("/v1/api-keys"), 400, "validation-failed").body("errors[0].field", equalTo("scopes"));
        assertProblem(tenant.owner().api().body(Map.of("name", "none", "scopes", List.of()))
                .post("/v1/api-keys"), 400, "validation-failed").body("errors[0].field", equalTo("scopes"));
    }

    private static void sleepUntilPast(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis() + 500;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}

package io.modelyard.common;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 400, 401, 403, 404, 405, 409, 413, 415 and 500 all look alike: RFC 9457, no internals. */
@QuarkusTest
class ErrorContractTest {

    @Test
    void missingExpiredTamperedOrMisaddressedTokensAre401Problems() throws InterruptedException {
        assertProblem(RestAssured.given().get("/v1/members"), 401, "unauthenticated")
                .header("WWW-Authenticate", matchesPattern("Bearer.*"));
        TestUser person = Keycloak.newUser("tokens");
        String token = person.token();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        assertProblem(RestAssured.given().auth().oauth2(tampered).get("/v1/members"), 401, "unauthenticated");
        assertProblem(RestAssured.given().auth().oauth2("not.a.jwt").get("/v1/members"), 401, "unauthenticated");
        assertProblem(RestAssured.given().auth().oauth2(person.otherAudienceToken()).get("/v1/tenants"), 401,
                "unauthenticated");
        // valid for 5 s (long enough for a slow machine to use it once), then refused
        String shortLived = person.shortLivedToken();
        RestAssured.given().auth().oauth2(shortLived).get("/v1/tenants").then().statusCode(200);
        Thread.sleep(6_000);
        assertProblem(RestAssured.given().auth().oauth2(shortLived).get("/v1/tenants"), 401, "unauthenticated");
    }

    @Test
    void routingErrorsAreProblemsToo() {
        TestUser person = Keycloak.newUser("router");
        assertProblem(person.api().get("/v1/no-such-thing"), 404, "not-found");
        assertProblem(person.api().delete("/v1/tenants"), 405, "method-not-allowed");
        assertProblem(person.api().contentType("text/plain").body("name=x").post("/v1/tenants"), 415,
                "unsupported-media-type");
    }

    @Test
    void anOversizedBodyIsRefusedEarlyWith413() {
        TestUser person = Keycloak.newUser("big");
        String huge = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(person.api().body(huge).post("/v1/tenants"), 413, "payload-too-large");
        person.api().get("/v1/tenants").then().body("data.size()", equalTo(0));
    }

    @Test
    void anUnexpectedFailureIsA500WithARequestIdAndNothingElse() {
        assertProblem(RestAssured.given().header("X-Request-Id", "trace-me-123").get("/v1/test-fixtures/failure"),
                500, "internal-error")
                .header("X-Client-Request-Id", "trace-me-123")
                .header("X-Request-Id", matchesPattern("req_.*"))
                .body("client_request_id", equalTo("trace-me-123"))
                .body("request_id", matchesPattern("req_.*"))
                .body(not(containsString("secret detail")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void everyResponseCarriesARequestId() {
        RestAssured.given().get("/v1/ping").then().statusCode(200).header("X-Request-Id", notNullValue())
                .body("authenticated", equalTo(false));
        RestAssured.given().header("X-Request-Id", "bad id with spaces").get("/v1/ping").then()
                .header("X-Request-Id", matchesPattern("req_.*"));
    }

    @Test
    void wrongFieldTypesNameTheField() {
        TestUser person = Keycloak.newUser("typed");
        assertProblem(person.api().body(Map.of("name", Map.of("nested", true))).post("/v1/tenants"), 400,
                "validation-failed").body("errors[0].field", equalTo("name"));
        assertProblem(person.api().body("[1,2]").post("/v1/tenants"), 400, "malformed-json");
    }
}

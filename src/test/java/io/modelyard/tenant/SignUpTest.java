package io.modelyard.tenant;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SignUpTest {

    @Test
    void aLoggedInPersonCreatesATenantAndBecomesItsOwner() {
        TestUser person = Keycloak.newUser("founder");
        person.api().get("/v1/tenants").then().statusCode(200).body("data", hasSize(0));

        String id = person.api().body(Map.of("name", "  Acme Analytics "))
                .post("/v1/tenants")
                .then().statusCode(201)
                .body("object", equalTo("tenant"))
                .body("id", matchesPattern("ten_[0-9a-z]{26}"))
                .body("name", equalTo("Acme Analytics"))
                .body("plan", equalTo("free"))
                .body("status", equalTo("active"))
                .body("role", equalTo("owner"))
                .body("created_at", notNullValue())
                .extract().path("id");

        person.api().get("/v1/tenants").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data", hasSize(1))
                .body("data[0].id", equalTo(id))
                .body("data[0].role", equalTo("owner"));
        person.api().get("/v1/tenants/" + id).then().statusCode(200).body("name", equalTo("Acme Analytics"));
        person.api().get("/v1/members").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].email", equalTo(person.email()))
                .body("data[0].subject", equalTo(person.subject()))
                .body("data[0].role", equalTo("owner"))
                .body("data[0].status", equalTo("active"));
    }

    @Test
    void aPersonInSeveralTenantsNamesOneWithTheHeader() {
        TestUser person = Keycloak.newUser("serial");
        String first = person.api().body(Map.of("name", "First")).post("/v1/tenants").then().statusCode(201)
                .extract().path("id");
        String second = person.api().body(Map.of("name", "Second")).post("/v1/tenants").then().statusCode(201)
                .extract().path("id");

        person.api().get("/v1/tenants").then().statusCode(200).body("data", hasSize(2));
        assertProblem(person.api().get("/v1/members"), 400, "tenant-required");
        person.api(second).get("/v1/members").then().statusCode(200).body("data", hasSize(1));
        person.api(first).patch("/v1/tenants/" + first, Map.of()).then().statusCode(400);
        person.api(first).body(Map.of("name", "First, renamed")).patch("/v1/tenants/" + first)
                .then().statusCode(200).body("name", equalTo("First, renamed"));
        // The header picks among the caller's own tenants only.
        TestTenant stranger = TestTenant.signUp("Stranger");
        assertProblem(person.api(stranger.id()).get("/v1/members"), 404, "tenant-not-found");
    }

    @Test
    void signUpIsIdempotentWithAnIdempotencyKey() {
        TestUser person = Keycloak.newUser("retrier");
        String first = person.api().header("Idempotency-Key", "signup-1").body(Map.of("name", "Retry Co"))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");
        String again = person.api().header("Idempotency-Key", "signup-1").body(Map.of("name", "Retry Co"))
                .post("/v1/tenants").then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .extract().path("id");
        assertEquals(first, again);
        assertProblem(person.api().header("Idempotency-Key", "signup-1").body(Map.of("name", "Other Co"))
                .post("/v1/tenants"), 409, "idempotency-key-reused");
        person.api().get("/v1/tenants").then().body("data", hasSize(1));
    }

    @Test
    void invalidSignUpsAreRefusedWithTheOffendingField() {
        TestUser person = Keycloak.newUser("sloppy");
        assertProblem(person.api().body(Map.of("name", "")).post("/v1/tenants"), 400, "validation-failed")
                .body("errors[0].field", equalTo("name"));
        assertProblem(person.api().body(Map.of("name", "x".repeat(101))).post("/v1/tenants"), 400,
                "validation-failed").body("errors[0].field", equalTo("name"));
        assertProblem(person.api().body(Map.of("name", "Ok", "plan", "enterprise")).post("/v1/tenants"), 400,
                "validation-failed").body("errors[0].field", equalTo("plan"));
        assertProblem(person.api().body("{\"name\": ").post("/v1/tenants"), 400, "malformed-json");
        person.api().get("/v1/tenants").then().body("data", hasSize(0));
    }

    @Test
    void anApiKeyCannotCreateTenants() {
        TestTenant tenant = TestTenant.signUp("Keyed");
        String key = tenant.apiKey("admin");
        assertProblem(TestTenant.withKey(key).body(Map.of("name", "Sneaky")).post("/v1/tenants"), 403, "people-only");
    }
}

package io.modelyard.testing;

import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/**
 * A tenant created through the real sign-up API, and people added with each role through the real invitation
 * API. Everything happens over HTTP, as a customer would do it.
 */
public final class TestTenant {

    private final String id;
    private final TestUser owner;

    private TestTenant(String id, TestUser owner) {
        this.id = id;
        this.owner = owner;
    }

    /** A new person signs up and creates a tenant. */
    public static TestTenant signUp(String name) {
        TestUser owner = Keycloak.newUser("owner");
        String id = owner.api().body(Map.of("name", name))
                .post("/v1/tenants")
                .then().statusCode(201)
                .extract().path("id");
        return new TestTenant(id, owner);
    }

    /** A new person joins this tenant with {@code role}: invited by the owner, bound on their first request. */
    public TestUser addMember(String role) {
        TestUser person = Keycloak.newUser(role);
        owner.api().body(Map.of("email", person.email(), "role", role))
                .post("/v1/members")
                .then().statusCode(201);
        person.api().get("/v1/tenants").then().statusCode(200).body("data[0].id", equalTo(id));
        return person;
    }

    /** A new API key with these scopes, created by the owner; returns its secret. */
    public String apiKey(String... scopes) {
        return owner.api().body(Map.of("name", "test key", "scopes", List.of(scopes)))
                .post("/v1/api-keys")
                .then().statusCode(201)
                .extract().path("secret");
    }

    public static RequestSpecification withKey(String secret) {
        return RestAssured.given().auth().oauth2(secret).contentType("application/json");
    }

    public String id() {
        return id;
    }

    public TestUser owner() {
        return owner;
    }
}

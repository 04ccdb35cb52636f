package io.modelyard.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;

/** A person in the real Keycloak, with a real, fresh access token whenever one is needed. */
public final class TestUser {

    private final String username;
    private final String password;
    private final String email;
    private final String subject;
    private Keycloak.TokenGrant grant;

    TestUser(String username, String password, String email, String subject) {
        this.username = username;
        this.password = password;
        this.email = email;
        this.subject = subject;
    }

    public synchronized String token() {
        if (grant == null || Instant.now().isAfter(grant.expiresAt().minusSeconds(30))) {
            grant = Keycloak.passwordGrant("modelyard-cli", username, password);
        }
        return grant.accessToken();
    }

    /** A token from a client whose tokens live two seconds. */
    public String shortLivedToken() {
        return Keycloak.passwordGrant("modelyard-test-short-lived", username, password).accessToken();
    }

    /** A token issued to another client, not meant for the Modelyard API (wrong audience). */
    public String otherAudienceToken() {
        return Keycloak.passwordGrant("other-app", username, password).accessToken();
    }

    /** RestAssured, authenticated as this person. */
    public RequestSpecification api() {
        return RestAssured.given().auth().oauth2(token()).contentType("application/json");
    }

    /** RestAssured as this person, acting in {@code tenantId} (for people in several tenants). */
    public RequestSpecification api(String tenantId) {
        return api().header("Modelyard-Tenant", tenantId);
    }

    /** For signing in through Keycloak's own login page (the portal). */
    public String password() {
        return password;
    }

    public String username() {
        return username;
    }

    public String email() {
        return email;
    }

    public String subject() {
        return subject;
    }
}

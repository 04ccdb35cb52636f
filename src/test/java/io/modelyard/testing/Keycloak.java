package io.modelyard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The real Keycloak that dev/test starts (realm config/keycloak/modelyard-realm.json): real tokens for real
 * users, created on the fly through the admin API so that every test starts with people who belong nowhere.
 */
public final class Keycloak {

    public static final String URL = System.getProperty("modelyard.test.keycloak-url", "http://localhost:8180");
    public static final String REALM_URL = URL + "/realms/modelyard";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String adminToken;
    private static Instant adminTokenUntil = Instant.EPOCH;

    private Keycloak() {
    }

    /** A new person with a verified email; they belong to no tenant yet. */
    public static TestUser newUser(String hint) {
        String username = hint + "-" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@test.modelyard.local";
        String password = "pw-" + UUID.randomUUID();
        Map<String, Object> user = Map.of(
                "username", username, "email", email, "emailVerified", true, "enabled", true,
                "firstName", hint, "lastName", "Tester",
                "credentials", new Object[] {Map.of("type", "password", "value", password, "temporary", false)});
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(URL + "/admin/realms/modelyard/users"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(user))).build());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Keycloak refused to create a user: " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        String subject = location.substring(location.lastIndexOf('/') + 1);
        return new TestUser(username, password, email, subject);
    }

    /** The realm's operator (realm role {@code operator}). */
    public static TestUser operator() {
        return new TestUser("operator", "operator", "operator@modelyard.local", null);
    }

    static TokenGrant passwordGrant(String clientId, String username, String password) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(REALM_URL + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password",
                        "client_id", clientId, "username", username, "password", password))))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No token for " + username + ": " + response.body());
        }
        JsonNode body = read(response.body());
        return new TokenGrant(body.get("access_token").asText(),
                Instant.now().plusSeconds(body.get("expires_in").asLong()));
    }

    record TokenGrant(String accessToken, Instant expiresAt) {
    }

    private static synchronized String adminToken() {
        if (Instant.now().isAfter(adminTokenUntil)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                            URI.create(URL + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password",
                            "client_id", "admin-cli", "username", "admin", "password", "admin"))))
                    .build());
            JsonNode body = read(response.body());
            adminToken = body.get("access_token").asText();
            adminTokenUntil = Instant.now().plusSeconds(body.get("expires_in").asLong() - 10);
        }
        return adminToken;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + URL + " (dev/test starts it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

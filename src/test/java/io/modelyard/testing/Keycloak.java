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
import java.security.SecureRandom;
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
    private static final SecureRandom RANDOM = new SecureRandom();
    private static String adminToken;
    private static Instant adminTokenUntil = Instant.EPOCH;

    private Keycloak() {
    }

    /** A new person with a verified email; they belong to no tenant yet. */
    public static TestUser newUser(String hint) {
        // The realm outlives test runs. A CI run was once told "User exists with same email" for a name with 32
        // random bits, which a collision hardly explains: the name now has 64, and a conflict draws a new one.
        for (int attempt = 1; ; attempt++) {
            String username = hint + "-" + Long.toHexString(RANDOM.nextLong());
            String email = username + "@test.modelyard.local";
            String password = "pw-" + UUID.randomUUID();
            Map<String, Object> user = Map.of(
                    "username", username, "email", email, "emailVerified", true, "enabled", true,
                    "firstName", hint, "lastName", "Tester",
                    "credentials", new Object[] {Map.of("type", "password", "value", password, "temporary", false)});
            URI users = URI.create(URL + "/admin/realms/modelyard/users");
            HttpResponse<String> created = send(HttpRequest.newBuilder(users)
                    .header("Authorization", "Bearer " + adminToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(write(user))).build());
            if (created.statusCode() == 201) {
                String location = created.headers().firstValue("Location").orElseThrow();
                return new TestUser(username, password, email, location.substring(location.lastIndexOf('/') + 1));
            }
            if (created.statusCode() != 409 || attempt == 3) {
                throw new IllegalStateException("Keycloak refused to create a user: " + created.body());
            }
        }
    }

    /** The realm's operator (realm role {@code operator}). */
    public static TestUser operator() {
        return new TestUser("operator", "operator", "operator@modelyard.local", null);
    }

    /**
     * Approves a device sign-in as {@code user}, the way a person does in a browser: opens the verification URL,
     * submits Keycloak's login form, then accepts the consent page. Plain HTTP with cookies, following the forms'
     * own actions.
     */
    public static void approveDevice(String verificationUriComplete, TestUser user) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieJar())
                .followRedirects(HttpClient.Redirect.ALWAYS).connectTimeout(Duration.ofSeconds(5)).build();
        String login = page(browser, HttpRequest.newBuilder(URI.create(verificationUriComplete)).GET().build());
        String consent = page(browser, formPost(formAction(login, "kc-form-login"),
                Map.of("username", user.username(), "password", user.password(), "credentialId", "")));
        String done = consent;
        if (consent.contains("login-actions/consent")) {
            java.util.regex.Matcher code = java.util.regex.Pattern
                    .compile("name=\"code\" value=\"([^\"]+)\"").matcher(consent);
            if (!code.find()) {
                throw new IllegalStateException("No consent code on Keycloak's page:\n" + consent);
            }
            java.util.regex.Matcher action = java.util.regex.Pattern
                    .compile("action=\"(/realms/modelyard/login-actions/consent[^\"]*)\"").matcher(consent);
            action.find();
            done = page(browser, formPost(URL + action.group(1).replace("&amp;", "&"),
                    Map.of("code", code.group(1), "accept", "Yes")));
        }
        if (!done.contains("Device Login Successful")) {
            throw new IllegalStateException("Keycloak did not confirm the device sign-in:\n" + done);
        }
    }

    /**
     * The realm file lets the CLI client use the device grant; a Keycloak started from an older realm file (the
     * shared one restarts when a checkout's realm changes) may not yet. Brings the running client in line with
     * config/keycloak/modelyard-realm.json, which is what CI imports.
     */
    public static synchronized void ensureDeviceGrant() {
        HttpResponse<String> clients = send(HttpRequest.newBuilder(URI.create(URL
                        + "/admin/realms/modelyard/clients?clientId=modelyard-cli"))
                .header("Authorization", "Bearer " + adminToken()).GET().build());
        JsonNode client = read(clients.body()).get(0);
        String attribute = "oauth2.device.authorization.grant.enabled";
        if ("true".equals(client.path("attributes").path(attribute).asText())) {
            return;
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) client.get("attributes")).put(attribute, "true");
        HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(URL + "/admin/realms/modelyard/clients/"
                        + client.get("id").asText()))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(client))).build());
        if (updated.statusCode() != 204) {
            throw new IllegalStateException("Keycloak refused the client update: " + updated.body());
        }
    }

    /**
     * Every cookie back to Keycloak, its Secure ones included: a browser treats http://localhost as a secure
     * context, Java's CookieManager does not (and would drop Keycloak's login-restart cookie).
     */
    private static final class CookieJar extends java.net.CookieHandler {
        private final Map<String, String> cookies = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Map<String, java.util.List<String>> get(URI uri, Map<String, java.util.List<String>> headers) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", java.util.List.of(cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, java.util.List<String>> headers) {
            headers.forEach((name, values) -> {
                if (name == null || !name.equalsIgnoreCase("Set-Cookie")) {
                    return;
                }
                for (String cookie : values) {
                    String pair = cookie.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String key = pair.substring(0, eq).trim();
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || cookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(key);
                    } else {
                        cookies.put(key, value);
                    }
                }
            });
        }
    }

    private static String formAction(String html, String formId) {
        java.util.regex.Matcher action = java.util.regex.Pattern
                .compile("id=\"" + formId + "\"[^>]*action=\"([^\"]+)\"").matcher(html);
        if (!action.find()) {
            throw new IllegalStateException("No form " + formId + " on Keycloak's page:\n" + html);
        }
        return action.group(1).replace("&amp;", "&");
    }

    private static HttpRequest formPost(String url, Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build();
    }

    private static String page(HttpClient browser, HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

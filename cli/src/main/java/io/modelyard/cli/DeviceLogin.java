package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Signs a person in with the OAuth 2.0 device authorization grant (RFC 8628) against Keycloak's
 * {@code modelyard-cli} client: the terminal shows a URL and a code, the person approves in any browser, and
 * the CLI polls the token endpoint until Keycloak answers with tokens (or says no, or the code expires).
 */
final class DeviceLogin {

    static final String DEFAULT_CLIENT = "modelyard-cli";

    private final String issuer;
    private final String clientId;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DeviceLogin(String issuer, String clientId, ObjectMapper json) {
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.clientId = clientId == null ? DEFAULT_CLIENT : clientId;
        this.json = json;
    }

    static final class LoginFailed extends RuntimeException {
        LoginFailed(String message) {
            super(message);
        }
    }

    /** Runs the whole flow, telling the person what to do on {@code out}; answers Keycloak's token response. */
    JsonNode login(PrintStream out) {
        JsonNode device = form(issuer + "/protocol/openid-connect/auth/device",
                Map.of("client_id", clientId, "scope", "openid"));
        if (!device.hasNonNull("device_code")) {
            throw new LoginFailed(device.path("error_description").asText(device.path("error").asText(
                    "Keycloak did not start a device login")));
        }
        out.println("To sign in, open " + device.path("verification_uri").asText()
                + " and enter the code " + device.path("user_code").asText());
        if (device.hasNonNull("verification_uri_complete")) {
            out.println("  (or open " + device.get("verification_uri_complete").asText() + ")");
        }
        out.println("Waiting for you to approve…");
        out.flush();
        long interval = Math.max(1, device.path("interval").asLong(5));
        Instant deadline = Instant.now().plusSeconds(device.path("expires_in").asLong(600));
        while (Instant.now().isBefore(deadline)) {
            sleep(interval);
            JsonNode answer = post(issuer + "/protocol/openid-connect/token", Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "client_id", clientId, "device_code", device.get("device_code").asText()));
            String error = answer.path("error").asText("");
            switch (error) {
                case "" -> {
                    return answer;
                }
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw new LoginFailed("the sign-in was refused in the browser");
                case "expired_token" -> throw new LoginFailed("the code expired before it was approved");
                default -> throw new LoginFailed(answer.path("error_description").asText(error));
            }
        }
        throw new LoginFailed("the code expired before it was approved");
    }

    /** A token request (refresh); throws when Keycloak refuses. */
    JsonNode token(Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("client_id", clientId);
        JsonNode answer = post(issuer + "/protocol/openid-connect/token", all);
        if (answer.hasNonNull("error")) {
            throw new LoginFailed(answer.path("error_description").asText(answer.get("error").asText()));
        }
        return answer;
    }

    /** Puts a token response into the stored credentials (secrets replace any stored API key). */
    static void store(Credentials credentials, JsonNode tokens) {
        Instant now = Instant.now();
        credentials.put("api_key", null)
                .put("access_token", tokens.path("access_token").asText())
                .put("access_expires_at", now.plusSeconds(tokens.path("expires_in").asLong(60)).toString());
        if (tokens.hasNonNull("refresh_token")) {
            credentials.put("refresh_token", tokens.get("refresh_token").asText());
            long refreshIn = tokens.path("refresh_expires_in").asLong(0);
            credentials.put("refresh_expires_at", refreshIn > 0 ? now.plusSeconds(refreshIn).toString() : null);
        }
    }

    private JsonNode form(String url, Map<String, String> fields) {
        return post(url, fields);
    }

    private JsonNode post(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500 || response.body().isBlank()) {
                throw new LoginFailed("Keycloak answered " + response.statusCode() + " at " + url);
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new LoginFailed("cannot reach Keycloak at " + issuer + " (" + e.getMessage()
                    + "); set MODELYARD_ISSUER or --issuer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginFailed("interrupted");
        }
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginFailed("interrupted");
        }
    }
}

package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;

/**
 * Which bearer a request carries: {@code MODELYARD_API_KEY} from the environment first, else what
 * {@code modelyard login} stored — an API key, or a Keycloak access token, refreshed with the stored refresh
 * token when it is about to expire.
 */
final class Auth {

    private final String environmentKey;
    private final Credentials stored;
    private final ObjectMapper json;

    Auth(String environmentKey, Credentials stored, ObjectMapper json) {
        this.environmentKey = environmentKey;
        this.stored = stored;
        this.json = json;
    }

    /** The bearer to send, or null when there is none (the service will answer 401). */
    String bearer() {
        if (environmentKey != null && !environmentKey.isBlank()) {
            return environmentKey.trim();
        }
        if (stored.text("api_key") != null) {
            return stored.text("api_key");
        }
        String token = stored.text("access_token");
        if (token == null) {
            return null;
        }
        Instant expires = stored.instant("access_expires_at");
        if (expires != null && Instant.now().isAfter(expires.minusSeconds(20)) && stored.text("refresh_token") != null) {
            return refresh();
        }
        return token;
    }

    /** How the next request authenticates, for {@code modelyard whoami}. */
    String describe() {
        if (environmentKey != null && !environmentKey.isBlank()) {
            return "API key from MODELYARD_API_KEY (" + prefix(environmentKey) + ")";
        }
        if (stored.text("api_key") != null) {
            return "API key stored by 'modelyard login --with-api-key' (" + prefix(stored.text("api_key")) + ")";
        }
        if (stored.text("access_token") != null) {
            return "signed in through " + stored.text("issuer") + (stored.text("username") == null ? ""
                    : " as " + stored.text("username"));
        }
        return "not signed in";
    }

    private String refresh() {
        DeviceLogin keycloak = new DeviceLogin(stored.text("issuer"), stored.text("client_id"), json);
        try {
            JsonNode tokens = keycloak.token(Map.of("grant_type", "refresh_token",
                    "refresh_token", stored.text("refresh_token")));
            DeviceLogin.store(stored, tokens);
            stored.save(json);
            return stored.text("access_token");
        } catch (DeviceLogin.LoginFailed e) {
            throw new ApiException(401, null, "Your sign-in has expired (" + e.getMessage()
                    + "): run 'modelyard login' again");
        }
    }

    private static String prefix(String key) {
        return key.length() <= 16 ? "…" : key.substring(0, 16) + "…";
    }
}

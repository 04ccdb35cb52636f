package io.modelyard.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Set;

/**
 * An API key as clients see it. {@code secret} is present once, in the answer to create or rotate, and never
 * again (not even in an idempotent replay of that answer).
 */
public record ApiKeyView(String id, String object, String name, String prefix, Set<ApiKeyScope> scopes,
        String status, String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt,
        Instant lastUsedAt, String rotatedFrom, @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    static ApiKeyView of(ApiKey key, Instant now) {
        return withSecret(key, now, null);
    }

    static ApiKeyView withSecret(ApiKey key, Instant now, String secret) {
        String status = key.isRevoked() ? "revoked" : key.isExpired(now) ? "expired" : "active";
        return new ApiKeyView(key.id, "api_key", key.name, key.prefix, key.scopes(), status, key.createdBy,
                key.createdAt, key.expiresAt, key.revokedAt, key.lastUsedAt, key.rotatedFrom, secret);
    }

    ApiKeyView withoutSecret() {
        return new ApiKeyView(id, object, name, prefix, scopes, status, createdBy, createdAt, expiresAt, revokedAt,
                lastUsedAt, rotatedFrom, null);
    }
}

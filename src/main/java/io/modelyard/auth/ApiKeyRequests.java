package io.modelyard.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Set;

public final class ApiKeyRequests {

    private ApiKeyRequests() {
    }

    /** @param expiresAt optional; a key without one lives until revoked */
    public record CreateApiKey(@NotBlank @Size(max = 100) String name, @NotEmpty Set<ApiKeyScope> scopes,
            Instant expiresAt) {
    }

    /**
     * @param oldKeyExpiresAt until when the old key keeps working (default: 24 hours from now; now ends it
     *                        at once)
     * @param expiresAt       the new key's expiry (default: none)
     */
    public record RotateApiKey(Instant oldKeyExpiresAt, Instant expiresAt) {
    }
}

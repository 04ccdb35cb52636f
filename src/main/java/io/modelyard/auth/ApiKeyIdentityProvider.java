package io.modelyard.auth;

import io.modelyard.common.PlatformClock;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.IdentityAttributes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Verifies an API key: shape and checksum first (no database), then its hash against the credentials cache or
 * the database. A revoked or expired key fails here, as a 401.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeyCredentials credentials;
    private final ApiKeyUsage usage;
    private final PlatformClock clock;

    ApiKeyIdentityProvider(ApiKeyCredentials credentials, ApiKeyUsage usage, PlatformClock clock) {
        this.credentials = credentials;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String key = request.key();
        if (!ApiKeySecret.isWellFormed(key)) {
            return Uni.createFrom().failure(failed("Malformed API key: check that it was copied whole."));
        }
        byte[] hash = ApiKeySecret.hash(key);
        ApiKeyCredentials.Credential cached = credentials.cached(hash);
        if (cached != null) {
            return Uni.createFrom().item(() -> identityOf(cached));
        }
        return context.runBlocking(() -> identityOf(credentials.load(hash)
                .orElseThrow(() -> failed("Unknown API key."))));
    }

    private SecurityIdentity identityOf(ApiKeyCredentials.Credential credential) {
        Instant now = clock.now();
        if (credential.revokedAt() != null) {
            throw failed("This API key has been revoked.");
        }
        if (credential.expiresAt() != null && !credential.expiresAt().isAfter(now)) {
            throw failed("This API key has expired.");
        }
        usage.recordUse(credential.keyId(), now);
        Actor actor = new Actor(Actor.Type.API_KEY, credential.keyId(), credential.keyId(), null,
                ApiKeyScope.permissionsOf(credential.scopes()));
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(credential.keyId()))
                .addAttribute(IdentityAttributes.ACTOR, actor)
                .addAttribute(IdentityAttributes.TENANT_ID, credential.tenantId())
                .addAttribute(IdentityAttributes.TENANT_STATUS, credential.tenantStatus())
                .addAttribute(IdentityAttributes.TENANT_PLAN, credential.plan())
                .build();
    }

    private static AuthenticationFailedException failed(String why) {
        return new AuthenticationFailedException("api-key: " + why);
    }
}

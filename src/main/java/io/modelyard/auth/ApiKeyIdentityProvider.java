package io.modelyard.auth;

import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.IdentityAttributes;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * Verifies an API key: shape and checksum first (no database), then its hash against the credentials cache or
 * the database. A revoked or expired key fails here, as a 401.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeyCredentials credentials;
    private final ApiKeyUsage usage;
    private final PlatformClock clock;
    private final KeyLookupThrottle throttle;

    ApiKeyIdentityProvider(ApiKeyCredentials credentials, ApiKeyUsage usage, PlatformClock clock,
            KeyLookupThrottle throttle) {
        this.credentials = credentials;
        this.usage = usage;
        this.clock = clock;
        this.throttle = throttle;
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
        if (credentials.knownUnknown(hash)) {
            return Uni.createFrom().failure(failed("Unknown API key."));
        }
        if (!throttle.tryAcquire(sourceAddress(request))) {
            return Uni.createFrom().failure(throttled());
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

    private static String sourceAddress(ApiKeyAuthenticationRequest request) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        return routing == null || routing.request().remoteAddress() == null ? null
                : routing.request().remoteAddress().hostAddress();
    }

    /** 429, not 401: the key may be fine; this address has asked about too many unknown ones. */
    private AuthenticationFailedException throttled() {
        long retryAfter = throttle.retryAfterSeconds();
        ProblemException problem = new ProblemException(429, "key-lookups-throttled", "Too many requests",
                "Too many requests with API keys this service did not recognise came from your address; "
                        + "retry in " + retryAfter + " s with a valid key.")
                .withHeader("Retry-After", Long.toString(retryAfter));
        return new AuthenticationFailedException("api-key: throttled",
                Map.of(ProblemException.class.getName(), problem));
    }

    private static AuthenticationFailedException failed(String why) {
        return new AuthenticationFailedException("api-key: " + why);
    }
}

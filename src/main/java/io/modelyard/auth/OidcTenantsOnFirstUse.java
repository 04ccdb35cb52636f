package io.modelyard.auth;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The two OpenID Connect tenants — bearer tokens for the API ({@code quarkus.oidc.*}) and the portal's sign-in
 * ({@code quarkus.oidc.portal.*}) — set up at their first request instead of during start-up. Quarkus awaits the
 * provider's metadata and keys of every statically configured tenant before the process is ready, but creates a
 * tenant returned by a {@link TenantConfigResolver} when it is first used, and keeps it. So application.properties
 * switches the static tenants off ({@code tenant-enabled=false}) and this resolver hands out the same
 * configuration, switched on, under ids of its own.
 *
 * <p>It picks the portal for the portal's {@code tenant-paths} ({@code /portal}, {@code /portal/*}) and the API for
 * every other path, whatever cookies a request carries. Each configuration is one object for the life of the
 * process (Quarkus compares them by identity to decide whether a tenant's configuration changed).
 */
@ApplicationScoped
class OidcTenantsOnFirstUse implements TenantConfigResolver {

    /** The portal's id stays the static tenant's: it names the session cookie ({@code q_session_portal}). */
    static final String PORTAL = "portal";
    /** Quarkus reserves "Default" for the static default tenant. */
    static final String API = "api";

    private final OidcTenantConfig api;
    private final OidcTenantConfig portal;
    private final List<String> portalPaths;

    OidcTenantsOnFirstUse(OidcConfig oidc) {
        this.api = OidcTenantConfig.builder(OidcConfig.getDefaultTenant(oidc)).tenantId(API).enableTenant().build();
        io.quarkus.oidc.runtime.OidcTenantConfig portalMapping = oidc.namedTenants().get(PORTAL);
        if (portalMapping == null) {
            throw new IllegalStateException("quarkus.oidc.portal.* is not configured");
        }
        this.portal = OidcTenantConfig.builder(portalMapping).tenantId(PORTAL).enableTenant().build();
        this.portalPaths = portal.tenantPaths().orElse(List.of());
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext routing, OidcRequestContext<OidcTenantConfig> blocking) {
        return Uni.createFrom().item(isPortal(routing) ? portal : api);
    }

    private boolean isPortal(RoutingContext routing) {
        String path = HttpSecurityUtils.pathWithoutMatrixParams(routing.normalizedPath());
        for (String tenantPath : portalPaths) {
            if (tenantPath.endsWith("/*") ? path.startsWith(tenantPath.substring(0, tenantPath.length() - 1))
                    || path.equals(tenantPath.substring(0, tenantPath.length() - 2)) : path.equals(tenantPath)) {
                return true;
            }
        }
        // Only the portal's paths: a portal session cookie sent along with an API request is not a credential
        // there (Quarkus's own rule would pick the portal tenant for it on any path, and the API checks no CSRF
        // token). The portal's pages, uploads, event streams and sign-in callback all live under /portal.
        return false;
    }
}

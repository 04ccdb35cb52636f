package io.modelyard.auth;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcUtils;
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
 * <p>It picks the tenant as Quarkus picked between the static ones: the portal for its {@code tenant-paths}, for a
 * path with a {@code portal} segment, and for a request carrying the portal's session or state cookie; the API
 * otherwise. Each configuration is one object for the life of the process (Quarkus compares them by identity to
 * decide whether a tenant's configuration changed).
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
        for (String segment : path.split("/")) {
            if (segment.equals(PORTAL)) {
                return true;
            }
        }
        // Quarkus sets this from an OIDC session or state cookie before it asks for the tenant.
        return PORTAL.equals(routing.get(OidcUtils.TENANT_ID_ATTRIBUTE));
    }
}

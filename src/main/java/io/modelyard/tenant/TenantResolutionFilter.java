package io.modelyard.tenant;

import io.modelyard.common.PublicApiPaths;
import io.modelyard.common.RequestIdFilter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the tenant once per API request, at the edge: from the API key's own tenant, or from the person's
 * memberships (the {@code Modelyard-Tenant} header picks one when they have several; it can only pick among
 * their own). Operator endpoints additionally run in operator mode when the caller has the platform role.
 */
public class TenantResolutionFilter {

    public static final String TENANT_HEADER = "Modelyard-Tenant";
    public static final String OPERATOR_ROLE = TenantEstablishment.OPERATOR_ROLE;

    private final CurrentIdentityAssociation identities;
    private final TenantEstablishment establishment;

    TenantResolutionFilter(CurrentIdentityAssociation identities, TenantEstablishment establishment) {
        this.identities = identities;
        this.establishment = establishment;
    }

    @ServerRequestFilter
    public void resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!PublicApiPaths.isPublicApi(path)) {
            return;
        }
        establishment.recordOrigin(sourceIp(http), (String) request.getProperty(RequestIdFilter.MDC_KEY),
                (String) request.getProperty(RequestIdFilter.CLIENT_MDC_KEY));
        // Authenticates now (authentication is lazy): a bad credential fails here, as a 401 problem.
        SecurityIdentity identity = identities.getDeferredIdentity().await().indefinitely();
        establishment.establish(identity, request.getHeaderString(TENANT_HEADER), path.startsWith("/v1/admin/"));
    }

    /** The peer's address (behind a trusted proxy, Quarkus has already put the forwarded one here). */
    public static String sourceIp(HttpServerRequest http) {
        return http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}

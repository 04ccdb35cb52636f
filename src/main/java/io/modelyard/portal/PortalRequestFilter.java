package io.modelyard.portal;

import io.modelyard.common.ProblemException;
import io.modelyard.common.RequestIdFilter;
import io.modelyard.tenant.TenantEstablishment;
import io.modelyard.tenant.TenantResolutionFilter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The portal's edge, as {@code TenantResolutionFilter} is the API's: resolves the signed-in person and the tenant
 * named in the path ({@code /portal/t/<tenant id>/...}, one of their own), and refuses any state-changing request
 * that does not carry the person's CSRF token in the {@value CsrfTokens#HEADER} header. Every portal form sends
 * it (htmx adds it to each request); a cross-site page can neither read nor send it.
 */
public class PortalRequestFilter {

    static final String PORTAL = "/portal";
    static final String TENANT_PREFIX = "/portal/t/";
    /** Uploads have a path prefix of their own, so that the ingress can give them (only) a large body limit. */
    static final String UPLOAD_TENANT_PREFIX = "/portal/upload/t/";
    static final String OPERATOR_PREFIX = "/portal/admin";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final CurrentIdentityAssociation identities;
    private final TenantEstablishment establishment;
    private final CsrfTokens csrf;
    private final PortalSession session;

    PortalRequestFilter(CurrentIdentityAssociation identities, TenantEstablishment establishment, CsrfTokens csrf,
            PortalSession session) {
        this.identities = identities;
        this.establishment = establishment;
        this.csrf = csrf;
        this.session = session;
    }

    @ServerRequestFilter
    public void resolvePortalRequest(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.equals(PORTAL) && !path.startsWith(PORTAL + "/")) {
            return;
        }
        establishment.recordOrigin(TenantResolutionFilter.sourceIp(http),
                (String) request.getProperty(RequestIdFilter.MDC_KEY),
                (String) request.getProperty(RequestIdFilter.CLIENT_MDC_KEY));
        SecurityIdentity identity = identities.getDeferredIdentity().await().indefinitely();
        if (!SAFE_METHODS.contains(request.getMethod())) {
            refuseForgedRequests(request, identity);
        }
        establishment.establish(identity, tenantInPath(path), path.startsWith(OPERATOR_PREFIX));
        session.signedIn(csrf.tokenFor(identity).orElse(null));
    }

    private void refuseForgedRequests(ContainerRequestContext request, SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            throw new ProblemException(401, "unauthenticated", "Signed out",
                    "Your session has ended. Sign in again, then repeat what you were doing.");
        }
        if ("cross-site".equals(request.getHeaderString("Sec-Fetch-Site"))
                || !csrf.matches(identity, request.getHeaderString(CsrfTokens.HEADER))) {
            throw ProblemException.forbidden("csrf-token-invalid", "This form was not sent by a Modelyard page "
                    + "you have open (its security token is missing or stale). Reload the page and try again.");
        }
    }

    /** The tenant id of a {@code /portal/t/<id>/...} (or {@code /portal/upload/t/<id>/...}) path, or null. */
    static String tenantInPath(String path) {
        String prefix = path.startsWith(TENANT_PREFIX) ? TENANT_PREFIX
                : path.startsWith(UPLOAD_TENANT_PREFIX) ? UPLOAD_TENANT_PREFIX : null;
        if (prefix == null) {
            return null;
        }
        int end = path.indexOf('/', prefix.length());
        return path.substring(prefix.length(), end < 0 ? path.length() : end);
    }
}

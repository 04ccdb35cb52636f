package io.modelyard.tenant;

import io.modelyard.common.RequestIdFilter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the tenant once per request, at the edge: from the API key's own tenant, or from the person's
 * memberships (the {@code Modelyard-Tenant} header picks one when they have several; it can only pick among
 * their own). Operator endpoints additionally run in operator mode when the caller has the platform role.
 */
public class TenantResolutionFilter {

    public static final String TENANT_HEADER = "Modelyard-Tenant";
    public static final String OPERATOR_ROLE = "operator";

    private final CurrentIdentityAssociation identities;
    private final TenantContext context;
    private final MembershipLookup memberships;

    TenantResolutionFilter(CurrentIdentityAssociation identities, TenantContext context, MembershipLookup memberships) {
        this.identities = identities;
        this.context = context;
        this.memberships = memberships;
    }

    @ServerRequestFilter
    public void resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") && !path.startsWith("/v2/")) {
            return;
        }
        context.recordOrigin(sourceIp(http), (String) request.getProperty(RequestIdFilter.MDC_KEY));
        // Authenticates now (authentication is lazy): a bad credential fails here, as a 401 problem.
        SecurityIdentity identity = identities.getDeferredIdentity().await().indefinitely();
        if (identity.isAnonymous()) {
            return;
        }
        String selected = request.getHeaderString(TENANT_HEADER);
        Actor keyActor = identity.getAttribute(IdentityAttributes.ACTOR);
        if (keyActor != null) {
            establishForKey(identity, keyActor, selected);
        } else {
            establishForPerson(identity, selected);
            if (path.startsWith("/v1/admin/") && identity.hasRole(OPERATOR_ROLE)) {
                context.enterOperatorMode();
            }
        }
        context.actorIfKnown().ifPresent(actor -> MDC.put("actor", actor.reference()));
        if (!context.databaseTenantId().isEmpty()) {
            MDC.put("tenant_id", context.databaseTenantId());
        }
    }

    private void establishForKey(SecurityIdentity identity, Actor actor, String selected) {
        String tenantId = identity.getAttribute(IdentityAttributes.TENANT_ID);
        if (selected != null && !selected.equals(tenantId)) {
            context.establishWithoutTenant(actor, TenantContext.Absence.UNKNOWN_TENANT, List.of(), null);
            return;
        }
        TenantStatus status = identity.getAttribute(IdentityAttributes.TENANT_STATUS);
        String plan = identity.getAttribute(IdentityAttributes.TENANT_PLAN);
        context.establishForTenant(actor, tenantId, status, plan,
                List.of(), null);
    }

    private void establishForPerson(SecurityIdentity identity, String selected) {
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        String subject = token.getSubject();
        String email = token.getClaim("email");
        Object verified = token.getClaim("email_verified");
        String verifiedEmail = email != null && Boolean.parseBoolean(String.valueOf(verified))
                ? email.toLowerCase(Locale.ROOT) : null;
        String name = Optional.ofNullable((String) token.getClaim("name"))
                .orElse(token.getClaim("preferred_username"));
        boolean operator = identity.hasRole(OPERATOR_ROLE);
        List<Membership> all = memberships.membershipsOf(subject, verifiedEmail, name);

        Optional<Membership> chosen;
        TenantContext.Absence absence;
        if (selected != null) {
            chosen = all.stream().filter(m -> m.tenantId().equals(selected)).findFirst();
            absence = TenantContext.Absence.UNKNOWN_TENANT;
        } else if (all.size() == 1) {
            chosen = Optional.of(all.get(0));
            absence = null;
        } else {
            chosen = Optional.empty();
            absence = all.isEmpty() ? TenantContext.Absence.NO_MEMBERSHIP : TenantContext.Absence.AMBIGUOUS;
        }
        Actor.Type type = operator ? Actor.Type.OPERATOR : Actor.Type.USER;
        if (chosen.isPresent()) {
            Membership m = chosen.get();
            Actor actor = new Actor(type, subject, name, m.role(), Permission.of(m.role()));
            context.establishForTenant(actor, m.tenantId(), m.tenantStatus(), m.plan(), all, subject);
            context.recordEmail(verifiedEmail);
        } else {
            context.establishWithoutTenant(new Actor(type, subject, name, null, java.util.Set.of()), absence, all,
                    subject);
            context.recordEmail(verifiedEmail);
        }
    }

    private static String sourceIp(HttpServerRequest http) {
        return http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}

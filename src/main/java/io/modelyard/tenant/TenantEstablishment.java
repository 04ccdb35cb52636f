package io.modelyard.tenant;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;

/**
 * Establishes the current request's tenant and actor from its authenticated identity: an API key's own tenant,
 * or one of the person's memberships. The API's filter ({@link TenantResolutionFilter}) and the portal's call
 * this one method, so both surfaces resolve tenants, roles and operator mode the same way.
 */
@ApplicationScoped
public class TenantEstablishment {

    public static final String OPERATOR_ROLE = "operator";

    private final TenantContext context;
    private final MembershipLookup memberships;

    TenantEstablishment(TenantContext context, MembershipLookup memberships) {
        this.context = context;
        this.memberships = memberships;
    }

    /** Records where the request came from, for the audit log. */
    public void recordOrigin(String sourceIp, String requestId, String clientRequestId) {
        context.recordOrigin(sourceIp, requestId, clientRequestId);
    }

    /**
     * Establishes the tenant context of this request.
     *
     * @param selected     the tenant the caller names (a header or the portal's path), or null
     * @param operatorArea whether the request is for operator-only endpoints: operators act in operator mode there
     */
    public void establish(SecurityIdentity identity, String selected, boolean operatorArea) {
        if (identity.isAnonymous()) {
            return;
        }
        Actor keyActor = identity.getAttribute(IdentityAttributes.ACTOR);
        if (keyActor != null) {
            establishForKey(identity, keyActor, selected);
        } else {
            establishForPerson(identity, selected);
            if (operatorArea && identity.hasRole(OPERATOR_ROLE)) {
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
        context.establishForTenant(actor, tenantId, status, plan, List.of(), null);
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
        } else {
            context.establishWithoutTenant(new Actor(type, subject, name, null, Set.of()), absence, all, subject);
        }
        context.recordEmail(verifiedEmail);
    }
}

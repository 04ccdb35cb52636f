package io.modelyard.portal;

import io.modelyard.common.ProblemException;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.MemberRole;
import io.modelyard.tenant.Membership;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantStatus;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The signed-in person as the portal's pages see them: builds the {@link Chrome} of a page from the request's
 * tenant context (established by {@link PortalRequestFilter}) and identity.
 */
@RequestScoped
public class PortalSession {

    /** Bumped with the portal's own assets, so browsers fetch new ones after an upgrade. */
    static final String ASSET_VERSION = "2";

    private final TenantContext context;
    private String csrfToken;

    PortalSession(TenantContext context) {
        this.context = context;
    }

    /** Called once by {@link PortalRequestFilter} with the signed-in person's CSRF token, for the pages' forms. */
    void signedIn(String csrfToken) {
        this.csrfToken = csrfToken;
    }

    /**
     * The chrome of a page of the tenant in the path, after checking the person may read it.
     *
     * @throws ProblemException 404 for a tenant that is not theirs, 403 when suspended
     */
    public Chrome tenantPage(String section) {
        String tenantId = context.require(Permission.READ);
        return chrome(section, tenantId);
    }

    /** The chrome of a page that needs no tenant (the start page, operator pages). */
    public Chrome personalPage(String section) {
        return chrome(section, null);
    }

    /** The chrome of an error page: never fails, shows what is known. */
    Chrome chromeForError() {
        if (context.actorIfKnown().isEmpty()) {
            return Chrome.anonymous();
        }
        String usable = null;
        try {
            usable = context.requireTenant();
        } catch (ProblemException ignored) {
            // no tenant, or one that is not usable: the error page links back to the start page
        }
        return chrome("error", usable);
    }

    /** The tenants the person belongs to. */
    public List<Membership> memberships() {
        return context.memberships();
    }

    public Actor actor() {
        return context.actor();
    }

    private Chrome chrome(String section, String tenantId) {
        Actor actor = context.actor();
        List<Chrome.TenantLink> tenants = context.memberships().stream().map(PortalSession::link).toList();
        Chrome.TenantLink current = tenantId == null ? null
                : tenants.stream().filter(t -> t.id().equals(tenantId)).findFirst().orElse(null);
        Chrome.Abilities can = current == null ? Chrome.Abilities.NONE : new Chrome.Abilities(
                actor.can(Permission.READ), actor.can(Permission.DATASETS_WRITE), actor.can(Permission.JOBS_WRITE),
                actor.can(Permission.PREDICT), actor.can(Permission.KEYS_WRITE), actor.can(Permission.ADMIN),
                actor.role() == MemberRole.OWNER);
        String base = current == null ? PortalRequestFilter.PORTAL : PortalRequestFilter.TENANT_PREFIX + current.id();
        return new Chrome(section, Optional.ofNullable(actor.displayName()).orElse("you"),
                csrfToken, current, tenants, actor.type() == Actor.Type.OPERATOR, can,
                base, ASSET_VERSION);
    }

    private static Chrome.TenantLink link(Membership m) {
        return new Chrome.TenantLink(m.tenantId(), m.tenantName(), m.role().name().toLowerCase(Locale.ROOT),
                m.tenantStatus() == TenantStatus.SUSPENDED, m.tenantStatus().deleted());
    }
}

package io.modelyard.tenant;

import io.modelyard.common.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Optional;

/**
 * The tenant and actor of the current request (or of a background task that entered one through
 * {@link TenantScope}). Established once, at the edge, by {@link TenantResolutionFilter} from the authenticated
 * principal, never from a request body or path. The database session reads it when a transaction checks out
 * a connection ({@link TenantConnectionSettings}), and so does the ORM's tenant filter.
 */
@RequestScoped
public class TenantContext {

    /** Why there is no tenant, when there is none. */
    enum Absence { ANONYMOUS, NO_MEMBERSHIP, AMBIGUOUS, UNKNOWN_TENANT }

    private boolean established;
    private Actor actor;
    private String tenantId;
    private TenantStatus tenantStatus;
    private String plan;
    private Absence absence = Absence.ANONYMOUS;
    private List<Membership> memberships = List.of();
    private String subject;
    private boolean operatorMode;
    private String email;
    private String sourceIp;
    private String requestId;
    private String clientRequestId;

    void establishForTenant(Actor actor, String tenantId, TenantStatus status, String plan,
            List<Membership> memberships, String subject) {
        requireNotEstablished();
        this.established = true;
        this.actor = actor;
        this.tenantId = tenantId;
        this.tenantStatus = status;
        this.plan = plan;
        this.memberships = List.copyOf(memberships);
        this.subject = subject;
    }

    void establishWithoutTenant(Actor actor, Absence why, List<Membership> memberships, String subject) {
        requireNotEstablished();
        this.established = true;
        this.actor = actor;
        this.absence = why;
        this.memberships = List.copyOf(memberships);
        this.subject = subject;
    }

    void enterOperatorMode() {
        this.operatorMode = true;
    }

    void recordEmail(String verifiedEmail) {
        this.email = verifiedEmail;
    }

    /** The acting person's verified email, if the identity provider vouched for one. */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    void recordOrigin(String sourceIp, String requestId, String clientRequestId) {
        this.sourceIp = sourceIp;
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
    }

    /**
     * Switches this request to a tenant it has just created (sign-up), as its owner. The next transaction sees
     * the new tenant; callers must start one after this.
     */
    void enterCreatedTenant(String newTenantId, String plan) {
        this.tenantId = newTenantId;
        this.tenantStatus = TenantStatus.ACTIVE;
        this.plan = plan;
        this.actor = new Actor(actor.type(), actor.id(), actor.displayName(), MemberRole.OWNER,
                Permission.of(MemberRole.OWNER));
    }

    /**
     * The current tenant's id, after checking that the caller may do {@code permission} in it.
     *
     * @throws ProblemException 401, 400 (several tenants), 403 (no tenant, suspended, not allowed), 404
     */
    public String require(Permission permission) {
        String id = requireTenant();
        if (!actor.can(permission)) {
            throw denied(permission);
        }
        return id;
    }

    /** The current tenant's id, for operations any member may do once the tenant is known. */
    public String requireTenant() {
        if (tenantId == null) {
            throw switch (absence) {
                case ANONYMOUS -> new ProblemException(401, "unauthenticated", "Unauthenticated",
                        "Authentication is required: send Authorization: Bearer <access token or API key>.");
                case NO_MEMBERSHIP -> ProblemException.forbidden("no-tenant",
                        "You are not a member of any tenant yet. Create one with POST /v1/tenants, "
                                + "or ask an admin to invite you.");
                case AMBIGUOUS -> ProblemException.badRequest("tenant-required",
                        "You belong to several tenants: name one in the Modelyard-Tenant header.");
                case UNKNOWN_TENANT -> new ProblemException(404, "tenant-not-found", "Not found",
                        "No tenant with that id among yours (Modelyard-Tenant header).");
            };
        }
        if (tenantStatus != null) {
            requireUsable(tenantStatus);
        }
        return tenantId;
    }

    /** 401 {@code tenant-deleted} or 403 {@code tenant-suspended} for a tenant in that state. */
    static void requireUsable(TenantStatus status) {
        if (status.deleted()) {
            // As if its keys and sessions no longer existed: the tenant is gone for everyone but its restorers.
            throw new ProblemException(401, "tenant-deleted", "Unauthenticated",
                    "This tenant was deleted. Its owner can restore it during the grace period with "
                            + "POST /v1/tenants/{id}/restore; after that its data is erased.");
        }
        if (status == TenantStatus.SUSPENDED) {
            throw ProblemException.forbidden("tenant-suspended",
                    "This tenant is suspended; its data and API are unavailable until a platform operator "
                            + "resumes it. Contact support.");
        }
    }

    private ProblemException denied(Permission permission) {
        if (actor.type() == Actor.Type.API_KEY) {
            return ProblemException.forbidden("insufficient-scope",
                    "This API key lacks the scope for this operation (" + scopeHint(permission) + ").");
        }
        return ProblemException.forbidden("insufficient-role",
                "Your role (" + (actor.role() == null ? "none" : actor.role().name().toLowerCase())
                        + ") does not allow this operation.");
    }

    private static String scopeHint(Permission permission) {
        return switch (permission) {
            case READ -> "read";
            case DATASETS_WRITE -> "datasets:write";
            case JOBS_WRITE -> "jobs:write";
            case PREDICT -> "predict";
            case KEYS_WRITE, ADMIN -> "admin";
        };
    }

    public Actor actor() {
        if (actor == null) {
            throw new ProblemException(401, "unauthenticated", "Unauthenticated", "Authentication is required.");
        }
        return actor;
    }

    public Optional<Actor> actorIfKnown() {
        return Optional.ofNullable(actor);
    }

    public List<Membership> memberships() {
        return memberships;
    }

    /** The Keycloak subject of the person acting, when a person is acting. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public Optional<String> plan() {
        return Optional.ofNullable(plan);
    }

    public boolean operatorMode() {
        return operatorMode;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String requestId() {
        return requestId;
    }

    /** The caller's own {@code X-Request-Id}, if it sent a sane one: recorded beside ours, never trusted as ours. */
    public String clientRequestId() {
        return clientRequestId;
    }

    /** What the database session is keyed on: the tenant only once it is known to be usable. */
    String databaseTenantId() {
        return tenantId != null && tenantStatus == TenantStatus.ACTIVE ? tenantId : "";
    }

    String databaseSubject() {
        return subject == null ? "" : subject;
    }

    private void requireNotEstablished() {
        if (established) {
            throw new IllegalStateException("The tenant context of a request is set once.");
        }
    }
}

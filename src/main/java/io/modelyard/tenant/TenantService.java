package io.modelyard.tenant;

import io.modelyard.common.Idempotency;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;

/** Sign-up and the tenant's own settings. */
@ApplicationScoped
public class TenantService {

    static final String DEFAULT_PLAN = "free";

    private final TenantRepository tenants;
    private final MemberRepository members;
    private final TenantContext context;
    private final Event<TenantActivity> activity;
    private final Idempotency idempotency;
    private final PlatformClock clock;

    TenantService(TenantRepository tenants, MemberRepository members, TenantContext context,
            Event<TenantActivity> activity, Idempotency idempotency, PlatformClock clock) {
        this.tenants = tenants;
        this.members = members;
        this.context = context;
        this.activity = activity;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /**
     * Self-service sign-up: the logged-in person creates a tenant and becomes its owner.
     *
     * @return the new tenant, or the first answer again for a repeated idempotency key
     */
    public Idempotency.Outcome<TenantView> signUp(TenantRequests.CreateTenant request, String idempotencyKey) {
        Actor actor = context.actor();
        if (actor.type() == Actor.Type.API_KEY) {
            throw ProblemException.forbidden("people-only", "Only a person can create a tenant, not an API key.");
        }
        String subject = context.subject().orElseThrow();
        String tenantId = TypedId.generate("ten");
        context.enterCreatedTenant(tenantId, DEFAULT_PLAN);
        // A new transaction: its connection and ORM session are keyed on the tenant being created.
        return QuarkusTransaction.requiringNew().call(() -> idempotency.once("user:" + subject, idempotencyKey,
                "create_tenant", request, TenantView.class, () -> {
                    var now = clock.now();
                    Tenant tenant = new Tenant(tenantId, request.name().strip(), DEFAULT_PLAN, actor.reference(), now);
                    tenants.persist(tenant);
                    members.persist(Member.owner(TypedId.generate("mem"), subject, context.email().orElse(null),
                            actor.displayName(), now));
                    activity.fire(TenantActivity.onTenant(tenantId, "tenant.created", Map.of("name", tenant.name())));
                    return TenantView.of(tenant, MemberRole.OWNER);
                }, view -> view));
    }

    /** The tenants the caller belongs to (an API key: its own). */
    @Transactional
    public List<TenantView> listMine() {
        if (context.actor().type() == Actor.Type.API_KEY) {
            String id = context.requireTenant();
            return tenants.findTenant(id).map(t -> List.of(TenantView.of(t, null))).orElse(List.of());
        }
        return context.memberships().stream().map(TenantView::of).toList();
    }

    /** A tenant the caller belongs to; any other id answers 404. */
    @Transactional
    public TenantView get(String id) {
        if (context.actor().type() == Actor.Type.API_KEY) {
            String own = context.requireTenant();
            if (!own.equals(id)) {
                throw ProblemException.notFound("tenant", id);
            }
            return tenants.findTenant(id).map(t -> TenantView.of(t, null))
                    .orElseThrow(() -> ProblemException.notFound("tenant", id));
        }
        Membership membership = context.memberships().stream().filter(m -> m.tenantId().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
        // The current tenant's own row (row security shows no other) carries its settings too.
        return tenants.findTenant(id).map(t -> TenantView.of(t, membership.role()))
                .orElseGet(() -> TenantView.of(membership));
    }

    /** Renames the current tenant and/or sets its retention; {@code id} must be it. */
    @Transactional
    public TenantView update(String id, TenantRequests.UpdateTenant request) {
        String current = context.require(Permission.ADMIN);
        if (!current.equals(id)) {
            throw ProblemException.notFound("tenant", id);
        }
        if (request.name() == null && request.retention() == null) {
            throw ProblemException.invalidField("name", "give a name, a retention, or both");
        }
        Tenant tenant = tenants.findTenant(id).orElseThrow(() -> ProblemException.notFound("tenant", id));
        if (request.name() != null) {
            String before = tenant.name();
            tenant.rename(request.name().strip(), clock.now());
            activity.fire(TenantActivity.onTenant(id, "tenant.renamed", Map.of("from", before, "to", tenant.name())));
        }
        if (request.retention() != null) {
            tenant.retain(request.retention(), clock.now());
            Map<String, Object> details = new java.util.HashMap<>();
            details.put("datasets_days", request.retention().datasetsDays());
            details.put("models_days", request.retention().modelsDays());
            details.put("batch_results_days", request.retention().batchResultsDays());
            activity.fire(TenantActivity.onTenant(id, "tenant.retention_changed", details));
        }
        return TenantView.of(tenant, context.actor().role());
    }
}

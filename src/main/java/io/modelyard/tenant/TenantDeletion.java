package io.modelyard.tenant;

import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Deleting a whole tenant, and undoing that within the grace period. A deleted tenant is {@code deleting} at once:
 * its keys and sessions answer 401 from the next request, its event streams close and its unfinished jobs are
 * cancelled (observers of {@link TenantStatusChanged}). Its data is erased when the grace period ends, by the
 * lifecycle package's purge.
 */
@ApplicationScoped
public class TenantDeletion {

    private final TenantRepository tenants;
    private final TenantContext context;
    private final TenantScope scope;
    private final Event<TenantActivity> activity;
    private final PlatformClock clock;
    private final TenantDeletionConfig config;
    private final Event<TenantStatusChanged> statusChanged;

    TenantDeletion(TenantRepository tenants, TenantContext context, TenantScope scope, Event<TenantActivity> activity,
            PlatformClock clock, TenantDeletionConfig config, Event<TenantStatusChanged> statusChanged) {
        this.tenants = tenants;
        this.context = context;
        this.scope = scope;
        this.activity = activity;
        this.clock = clock;
        this.config = config;
        this.statusChanged = statusChanged;
    }

    /** The owner deletes one of their tenants, confirming with its name. Deleting it again changes nothing. */
    public TenantView deleteAsOwner(String id, String confirmName) {
        Membership membership = requireOwner(id);
        Tenant tenant = schedule(id, confirmName, config.grace());
        return TenantView.of(tenant, membership.role());
    }

    /** An operator deletes a tenant; {@code grace} (null: the configured one) may be shorter, down to zero. */
    public AdminTenantView deleteAsOperator(String id, String confirmName, Duration grace) {
        requireOperator();
        if (grace != null && (grace.isNegative() || grace.compareTo(config.grace()) > 0)) {
            throw ProblemException.invalidField("grace", "must be between PT0S and " + config.grace());
        }
        return AdminTenantView.of(schedule(id, confirmName, grace == null ? config.grace() : grace));
    }

    /** The owner takes a deleted tenant back before its erasure begins. */
    public TenantView restoreAsOwner(String id) {
        Membership membership = requireOwner(id);
        return TenantView.of(restore(id), membership.role());
    }

    public AdminTenantView restoreAsOperator(String id) {
        requireOperator();
        return AdminTenantView.of(restore(id));
    }

    private Tenant schedule(String id, String confirmName, Duration grace) {
        Actor actor = context.actor();
        return scope.call(id, actor, () -> QuarkusTransaction.requiringNew().call(() -> {
            Tenant tenant = lock(id);
            if (tenant.status() == TenantStatus.DELETING) {
                return tenant;
            }
            if (tenant.status() == TenantStatus.ERASED) {
                throw ProblemException.notFound("tenant", id);
            }
            if (confirmName == null || !confirmName.strip().equals(tenant.name())) {
                throw ProblemException.invalidField("confirm",
                        "must be the tenant's name, exactly, to confirm that everything of it is to be erased");
            }
            Instant now = clock.now();
            tenant.scheduleErasure(now.plus(grace), now);
            activity.fire(TenantActivity.onTenant(id, "tenant.deleted",
                    Map.of("erase_after", tenant.eraseAfter().toString())));
            statusChanged.fire(new TenantStatusChanged(id, TenantStatus.DELETING));
            return tenant;
        }));
    }

    private Tenant restore(String id) {
        Actor actor = context.actor();
        return scope.call(id, actor, () -> QuarkusTransaction.requiringNew().call(() -> {
            Tenant tenant = lock(id);
            if (tenant.status() == TenantStatus.ERASED) {
                throw ProblemException.notFound("tenant", id);
            }
            if (tenant.status() != TenantStatus.DELETING) {
                throw ProblemException.conflict("tenant-not-deleted", "This tenant is not deleted.");
            }
            // The purge holds the row while it erases a batch and checks the date under it; so does this.
            if (!tenant.eraseAfter().isAfter(clock.now())) {
                throw ProblemException.conflict("erasure-started",
                        "The grace period is over and this tenant's erasure has begun; it cannot be restored.");
            }
            tenant.restore(clock.now());
            activity.fire(TenantActivity.onTenant(id, "tenant.restored", Map.of()));
            statusChanged.fire(new TenantStatusChanged(id, TenantStatus.ACTIVE));
            return tenant;
        }));
    }

    private Tenant lock(String id) {
        return tenants.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
    }

    /** People only; a tenant the caller is not a member of does not exist for them; other roles may not. */
    private Membership requireOwner(String id) {
        Actor actor = context.actor();
        if (actor == null || actor.type() == Actor.Type.API_KEY) {
            throw ProblemException.forbidden("people-only", "Only the tenant's owner can delete or restore it, "
                    + "signed in as a person, not with an API key.");
        }
        Membership membership = context.memberships().stream().filter(m -> m.tenantId().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
        if (membership.role() != MemberRole.OWNER) {
            throw ProblemException.forbidden("insufficient-role",
                    "Only an owner of the tenant can delete or restore it.");
        }
        return membership;
    }

    private void requireOperator() {
        if (!context.operatorMode()) {
            throw ProblemException.forbidden("operator-only", "Only platform operators may do this.");
        }
    }
}

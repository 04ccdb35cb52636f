package io.modelyard.auth;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.PlatformClock;
import io.modelyard.tenant.MemberAccessChanged;
import io.modelyard.tenant.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A key never outlives the rights of the person who made it. When a member is removed, every key they created
 * is revoked; when their role is lowered, their keys lose the scopes the new role does not hold (and are revoked
 * when none is left). It happens in the transaction that changed the member, and every instance forgets the keys
 * from its cache on commit: the next request with such a key already meets the narrower rights.
 */
@ApplicationScoped
class ApiKeyLifecycle {

    private final ApiKeyRepository keys;
    private final AuditLog audit;
    private final PlatformClock clock;
    private final AuthInvalidations invalidations;

    ApiKeyLifecycle(ApiKeyRepository keys, AuditLog audit, PlatformClock clock, AuthInvalidations invalidations) {
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.invalidations = invalidations;
    }

    void memberAccessChanged(@Observes MemberAccessChanged change) {
        invalidations.memberChanged(change.tenantId(), change.actorReference());
        Instant now = clock.now();
        Set<Permission> allowed = change.removed() ? Set.of() : Permission.of(change.newRole());
        for (ApiKey key : keys.activeCreatedBy(change.actorReference(), now)) {
            Set<ApiKeyScope> kept = EnumSet.noneOf(ApiKeyScope.class);
            key.scopes().stream().filter(s -> allowed.contains(s.permission())).forEach(kept::add);
            if (kept.equals(key.scopes())) {
                continue;
            }
            if (kept.isEmpty()) {
                key.revoke(now);
                audit.record("api_key.revoked", "api_key", key.id, Map.of("name", key.name,
                        "reason", change.removed() ? "creator removed" : "creator's role holds none of its scopes"));
            } else {
                Set<ApiKeyScope> before = key.scopes();
                key.narrowTo(kept);
                audit.record("api_key.narrowed", "api_key", key.id, Map.of("name", key.name,
                        "from", ApiKeyService.wire(before), "to", ApiKeyService.wire(kept),
                        "reason", "creator's role changed"));
            }
            invalidations.keyChanged(key.id);
        }
    }
}

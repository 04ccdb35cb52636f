package io.modelyard.auth;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API keys of the current tenant. Anyone who may create keys may give a key only scopes they hold themselves;
 * admins manage every key, others only the keys they created.
 */
@ApplicationScoped
public class ApiKeyService {

    static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);

    private final ApiKeyRepository keys;
    private final TenantContext context;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final PlatformClock clock;
    private final AuthInvalidations invalidations;

    ApiKeyService(ApiKeyRepository keys, TenantContext context, AuditLog audit, Idempotency idempotency,
            PlatformClock clock, AuthInvalidations invalidations) {
        this.keys = keys;
        this.context = context;
        this.audit = audit;
        this.idempotency = idempotency;
        this.clock = clock;
        this.invalidations = invalidations;
    }

    @Transactional
    public Idempotency.Outcome<ApiKeyView> create(ApiKeyRequests.CreateApiKey request, String idempotencyKey) {
        String tenantId = context.require(Permission.KEYS_WRITE);
        return idempotency.once(tenantId, idempotencyKey, "create_api_key", request, ApiKeyView.class, () -> {
            Instant now = clock.now();
            requireGrantable(request.scopes());
            if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
                throw ProblemException.invalidField("expires_at", "must be in the future");
            }
            String secret = ApiKeySecret.generate();
            ApiKey key = new ApiKey(TypedId.generate("key"), request.name().strip(), secret,
                    EnumSet.copyOf(request.scopes()), context.actor().reference(), now, request.expiresAt(), null);
            keys.persist(key);
            audit.record("api_key.created", "api_key", key.id, Map.of("name", key.name, "scopes", wire(key)));
            return ApiKeyView.withSecret(key, now, secret);
        }, ApiKeyView::withoutSecret);
    }

    @Transactional
    public Page<ApiKeyView> list(PageRequest page, boolean includeRevoked) {
        context.require(Permission.READ);
        Instant now = clock.now();
        return Page.of(keys.page(page, includeRevoked), page, k -> k.id, k -> ApiKeyView.of(k, now));
    }

    @Transactional
    public ApiKeyView get(String id) {
        context.require(Permission.READ);
        return ApiKeyView.of(find(id), clock.now());
    }

    /** Revokes a key; the very next request with it is refused, on every API instance. */
    @Transactional
    public ApiKeyView revoke(String id) {
        ApiKey key = findManageable(id);
        Instant now = clock.now();
        key.revoke(now);
        audit.record("api_key.revoked", "api_key", id, Map.of("name", key.name));
        invalidations.keyChanged(id);
        return ApiKeyView.of(key, now);
    }

    /**
     * Issues a new key with the same name and scopes; the old one keeps working until
     * {@code old_key_expires_at} (default 24 hours), so deployments can switch over without downtime. The same
     * rule as creation applies: the caller must hold every scope the key carries. The new key keeps the old
     * key's expiry unless the caller sets another: admins any future time, others no later than the old one's.
     */
    @Transactional
    public Idempotency.Outcome<ApiKeyView> rotate(String id, ApiKeyRequests.RotateApiKey request,
            String idempotencyKey) {
        String tenantId = context.require(Permission.KEYS_WRITE);
        // A retried rotation replays the replacement it made (without its secret) instead of making another.
        return idempotency.once(tenantId, idempotencyKey, "rotate_api_key:" + id, request, ApiKeyView.class,
                () -> rotateNow(id, request), ApiKeyView::withoutSecret);
    }

    private ApiKeyView rotateNow(String id, ApiKeyRequests.RotateApiKey request) {
        ApiKey old = findManageable(id);
        Instant now = clock.now();
        if (old.isRevoked() || old.isExpired(now)) {
            throw ProblemException.conflict("api-key-inactive", "Only an active key can be rotated.");
        }
        requireGrantable(old.scopes());
        Instant oldUntil = request != null && request.oldKeyExpiresAt() != null
                ? request.oldKeyExpiresAt() : now.plus(DEFAULT_ROTATION_OVERLAP);
        if (oldUntil.isBefore(now)) {
            throw ProblemException.invalidField("old_key_expires_at", "must not be in the past");
        }
        Instant newExpiry = request == null || request.expiresAt() == null ? old.expiresAt : request.expiresAt();
        if (newExpiry != null && !newExpiry.isAfter(now)) {
            throw ProblemException.invalidField("expires_at", "must be in the future");
        }
        if (old.expiresAt != null && (newExpiry == null || newExpiry.isAfter(old.expiresAt))
                && !context.actor().can(Permission.ADMIN)) {
            throw ProblemException.forbidden("expiry-not-grantable", "Only an admin can give a replacement key a "
                    + "later expiry than the key it replaces (" + old.expiresAt + ").");
        }
        String secret = ApiKeySecret.generate();
        ApiKey fresh = new ApiKey(TypedId.generate("key"), old.name, secret, old.scopes(),
                context.actor().reference(), now, newExpiry, old.id);
        keys.persist(fresh);
        old.expireAt(oldUntil);
        audit.record("api_key.rotated", "api_key", old.id,
                Map.of("new_key_id", fresh.id, "old_key_expires_at", oldUntil.toString()));
        invalidations.keyChanged(old.id);
        return ApiKeyView.withSecret(fresh, now, secret);
    }

    private ApiKey find(String id) {
        return keys.findKey(id).orElseThrow(() -> ProblemException.notFound("API key", id));
    }

    /** A key the caller may change, locked until commit (a revocation never undoes a rotation, nor the reverse). */
    private ApiKey findManageable(String id) {
        context.require(Permission.KEYS_WRITE);
        ApiKey key = keys.lockKey(id).orElseThrow(() -> ProblemException.notFound("API key", id));
        Actor actor = context.actor();
        if (!actor.can(Permission.ADMIN) && !key.createdBy.equals(actor.reference())) {
            throw ProblemException.forbidden("insufficient-role",
                    "You may manage only the API keys you created; ask an admin for others.");
        }
        return key;
    }

    /** No privilege escalation through keys: a key can only carry scopes its creator holds. */
    private void requireGrantable(Set<ApiKeyScope> scopes) {
        Actor actor = context.actor();
        Set<String> beyond = scopes.stream().filter(s -> !actor.can(s.permission())).map(ApiKeyScope::wireName)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        if (!beyond.isEmpty()) {
            throw ProblemException.forbidden("scope-not-grantable",
                    "You cannot give a key scopes you do not hold yourself: " + String.join(", ", beyond) + ".");
        }
    }

    private static String wire(ApiKey key) {
        return String.join(" ", key.scopes);
    }

    static String wire(Set<ApiKeyScope> scopes) {
        return scopes.stream().map(ApiKeyScope::wireName).sorted().collect(Collectors.joining(" "));
    }
}

package io.modelyard.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** An API key of the current tenant. The secret itself is never stored: only its SHA-256. */
@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    @Column(nullable = false)
    String name;

    @Column(nullable = false, updatable = false)
    String prefix;

    @Column(name = "secret_hash", nullable = false, updatable = false)
    byte[] secretHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    String[] scopes;

    @Column(name = "created_by", nullable = false, updatable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "expires_at")
    Instant expiresAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    @Column(name = "last_used_at", insertable = false, updatable = false)
    Instant lastUsedAt;

    @Column(name = "rotated_from", updatable = false)
    String rotatedFrom;

    protected ApiKey() {
    }

    ApiKey(String id, String name, String secret, Set<ApiKeyScope> scopes, String createdBy, Instant createdAt,
            Instant expiresAt, String rotatedFrom) {
        this.id = id;
        this.name = name;
        this.prefix = ApiKeySecret.visiblePrefix(secret);
        this.secretHash = ApiKeySecret.hash(secret);
        this.scopes = scopes.stream().map(ApiKeyScope::wireName).sorted().toArray(String[]::new);
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.rotatedFrom = rotatedFrom;
    }

    Set<ApiKeyScope> scopes() {
        return Arrays.stream(scopes).map(ApiKeyScope::fromWire)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ApiKeyScope.class)));
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    boolean isExpired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /** Keeps only {@code allowed} of this key's scopes (never adds one). */
    void narrowTo(Set<ApiKeyScope> allowed) {
        Set<ApiKeyScope> kept = scopes();
        kept.retainAll(allowed);
        this.scopes = kept.stream().map(ApiKeyScope::wireName).sorted().toArray(String[]::new);
    }

    /** Lets a rotated-out key live on until {@code until}, never longer than it would have. */
    void expireAt(Instant until) {
        if (expiresAt == null || until.isBefore(expiresAt)) {
            expiresAt = until;
        }
    }
}

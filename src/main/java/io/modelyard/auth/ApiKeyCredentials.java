package io.modelyard.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.modelyard.tenant.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verified API keys by the SHA-256 of their secret: read from the database once, then served from memory so
 * that key authentication costs a hash and a map lookup. Evicted on revocation, rotation and suspension.
 *
 * <p>Unknown keys are remembered too, briefly, so that a stream of made-up keys costs no query each. A load
 * that raced an eviction (it read a key just before a revocation committed) keeps its answer out of the cache:
 * every eviction advances a generation, and a load only caches what it read if no eviction happened since it
 * began, so a revoked key can never be put back.
 */
@ApplicationScoped
class ApiKeyCredentials {

    /** What authentication needs to know about a key. */
    record Credential(String keyId, String tenantId, Set<ApiKeyScope> scopes, Instant expiresAt, Instant revokedAt,
            TenantStatus tenantStatus, String plan) {
    }

    private final AgroalDataSource dataSource;
    private final Cache<ByteBuffer, Credential> cache;
    private final Cache<ByteBuffer, Boolean> unknown;
    private long generation;

    ApiKeyCredentials(AgroalDataSource dataSource, ApiKeyConfig config) {
        this.dataSource = dataSource;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cacheSize())
                .expireAfterWrite(config.cacheTtl())
                .build();
        this.unknown = Caffeine.newBuilder()
                .maximumSize(config.cacheSize())
                .expireAfterWrite(config.unknownKeyTtl())
                .build();
    }

    Credential cached(byte[] secretHash) {
        return cache.getIfPresent(ByteBuffer.wrap(secretHash));
    }

    /** Whether this hash was looked up recently and belonged to no key. */
    boolean knownUnknown(byte[] secretHash) {
        return unknown.getIfPresent(ByteBuffer.wrap(secretHash)) != null;
    }

    /** Reads a key from the database (blocking) and remembers it, or remembers that there is none. */
    Optional<Credential> load(byte[] secretHash) {
        long seen;
        synchronized (this) {
            seen = generation;
        }
        Optional<Credential> found = query(secretHash);
        ByteBuffer key = ByteBuffer.wrap(secretHash.clone());
        synchronized (this) {
            if (generation == seen) {
                if (found.isPresent()) {
                    cache.put(key, found.get());
                } else {
                    unknown.put(key, Boolean.TRUE);
                }
            }
        }
        return found;
    }

    private Optional<Credential> query(byte[] secretHash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select key_id, tenant_id, scopes,"
                        + " expires_at, revoked_at, tenant_status, tenant_plan from auth_api_key(?)")) {
            statement.setBytes(1, secretHash);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Set<ApiKeyScope> scopes = Arrays.stream((String[]) row.getArray(3).getArray())
                        .map(ApiKeyScope::fromWire)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ApiKeyScope.class)));
                Credential credential = new Credential(row.getString(1), row.getString(2), scopes,
                        instant(row.getTimestamp(4)), instant(row.getTimestamp(5)),
                        TenantStatus.valueOf(row.getString(6).toUpperCase(Locale.ROOT)), row.getString(7));
                return Optional.of(credential);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up an API key", e);
        }
    }

    synchronized void evictKey(String keyId) {
        generation++;
        cache.asMap().values().removeIf(c -> c.keyId().equals(keyId));
    }

    synchronized void evictTenant(String tenantId) {
        generation++;
        cache.asMap().values().removeIf(c -> c.tenantId().equals(tenantId));
    }

    synchronized void evictAll() {
        generation++;
        cache.invalidateAll();
        unknown.invalidateAll();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

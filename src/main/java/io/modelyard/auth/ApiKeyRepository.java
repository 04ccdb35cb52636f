package io.modelyard.auth;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    Optional<ApiKey> findKey(String id) {
        return find("id", id).firstResultOptional();
    }

    /** The key with its row locked until commit: a rotation and a revocation of it go one after the other. */
    Optional<ApiKey> lockKey(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    List<ApiKey> page(PageRequest page, boolean includeRevoked) {
        String after = page.after("key");
        String where = (includeRevoked ? "1 = 1" : "revokedAt is null") + (after == null ? "" : " and id < ?1");
        var query = after == null ? find(where + " order by id desc") : find(where + " order by id desc", after);
        return query.page(0, page.limit() + 1).list();
    }

    /** The current tenant's keys that {@code createdBy} made and that still work at {@code now}. */
    List<ApiKey> activeCreatedBy(String createdBy, Instant now) {
        return list("createdBy = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2)", createdBy, now);
    }
}

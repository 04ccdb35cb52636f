package io.modelyard.auth;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    Optional<ApiKey> findKey(String id) {
        return find("id", id).firstResultOptional();
    }

    List<ApiKey> page(PageRequest page, boolean includeRevoked) {
        String after = page.after("key");
        String where = (includeRevoked ? "1 = 1" : "revokedAt is null") + (after == null ? "" : " and id < ?1");
        var query = after == null ? find(where + " order by id desc") : find(where + " order by id desc", after);
        return query.page(0, page.limit() + 1).list();
    }
}

package io.modelyard.tenant;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Tenants visible to the current session: the current one, or all of them in operator mode. */
@ApplicationScoped
class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    Optional<Tenant> findTenant(String id) {
        return find("id", id).firstResultOptional();
    }

    /** The tenant row locked for update: serialises member changes (the last-owner rule) per tenant. */
    Optional<Tenant> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The tenant row shared until commit: a deletion or suspension (an update of it) waits for the transaction. */
    Optional<Tenant> share(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_READ).firstResultOptional();
    }

    List<Tenant> page(PageRequest page, TenantStatus status) {
        String after = page.after("ten");
        StringBuilder where = new StringBuilder("1 = 1");
        var params = new java.util.HashMap<String, Object>();
        if (after != null) {
            where.append(" and id < :after");
            params.put("after", after);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        return find(where + " order by id desc", params).page(0, page.limit() + 1).list();
    }
}

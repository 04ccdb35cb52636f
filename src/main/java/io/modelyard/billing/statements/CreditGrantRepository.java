package io.modelyard.billing.statements;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The current tenant's credits, newest first. */
@ApplicationScoped
class CreditGrantRepository implements PanacheRepositoryBase<CreditGrant, String> {

    Optional<CreditGrant> findGrant(String id) {
        return find("id", id).firstResultOptional();
    }

    List<CreditGrant> page(PageRequest page) {
        String after = page.after("crd");
        var query = after == null ? find("order by id desc") : find("id < ?1 order by id desc", after);
        return query.page(0, page.limit() + 1).list();
    }
}

package io.modelyard.billing.statements;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The current tenant's ledger, newest first (the ORM and row-level security both restrict it). */
@ApplicationScoped
class UsageEventRepository implements PanacheRepositoryBase<UsageEvent, String> {

    Optional<UsageEvent> findEvent(String id) {
        return find("id", id).firstResultOptional();
    }

    List<UsageEvent> page(PageRequest page, UsageFilter filter) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        String after = page.after("use");
        if (after != null) {
            where.append(" and id < :after");
            params.put("after", after);
        }
        if (filter.meter() != null) {
            where.append(" and meter = :meter");
            params.put("meter", filter.meter().wireName());
        }
        if (filter.apiKeyId() != null) {
            where.append(" and apiKeyId = :apiKey");
            params.put("apiKey", filter.apiKeyId());
        }
        if (filter.modelId() != null) {
            where.append(" and modelId = :model");
            params.put("model", filter.modelId());
        }
        if (filter.jobId() != null) {
            where.append(" and jobId = :job");
            params.put("job", filter.jobId());
        }
        return find(where + " order by id desc", params).page(0, page.limit() + 1).list();
    }
}

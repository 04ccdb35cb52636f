package io.modelyard.audit;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, String> {

    List<AuditEvent> page(PageRequest page, String action, String targetId) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        String after = page.after("aud");
        if (after != null) {
            where.append(" and id < :after");
            params.put("after", after);
        }
        if (action != null) {
            where.append(" and action = :action");
            params.put("action", action);
        }
        if (targetId != null) {
            where.append(" and targetId = :target");
            params.put("target", targetId);
        }
        return find(where + " order by id desc", params).page(0, page.limit() + 1).list();
    }
}

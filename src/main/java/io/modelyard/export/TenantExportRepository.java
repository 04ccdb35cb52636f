package io.modelyard.export;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class TenantExportRepository implements PanacheRepositoryBase<TenantExport, String> {

    /** An export whose archive is due for deletion, with its tenant (the sweeper enters it). */
    record Expiring(String tenantId, String id) {
    }

    Optional<TenantExport> findExport(String id) {
        return find("id", id).firstResultOptional();
    }

    List<TenantExport> page(PageRequest page) {
        String after = page.after("exp");
        return (after == null ? find("order by id desc") : find("id < ?1 order by id desc", after))
                .page(0, page.limit() + 1).list();
    }

    /**
     * Succeeded exports of every tenant whose archive expired by {@code now}. Native: the ORM's tenant filter
     * would hide other tenants' rows; row-level security lets platform mode see them.
     */
    @SuppressWarnings("unchecked")
    List<Expiring> expiredBy(Instant now, int limit) {
        List<Object[]> rows = getEntityManager().createNativeQuery("select tenant_id, id from tenant_exports"
                        + " where state = 'succeeded' and expires_at <= ?1 order by expires_at limit ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new Expiring((String) r[0], (String) r[1])).toList();
    }

    /** Bytes of the archives kept now (succeeded, not yet expired), by tenant; native for the same reason. */
    @SuppressWarnings("unchecked")
    Map<String, Long> storedBytesByTenant() {
        List<Object[]> rows = getEntityManager().createNativeQuery("select tenant_id, sum(size_bytes)"
                + " from tenant_exports where state = 'succeeded' and size_bytes is not null"
                + " group by tenant_id order by tenant_id").getResultList();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (Object[] row : rows) {
            bytes.put((String) row[0], ((Number) row[1]).longValue());
        }
        return bytes;
    }
}

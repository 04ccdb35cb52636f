package io.modelyard.dataset;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    Optional<Dataset> findDataset(String id) {
        return find("id", id).firstResultOptional();
    }

    /** The dataset, locked for the rest of the transaction (version numbers are allocated under this lock). */
    Optional<Dataset> lockDataset(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Shares the dataset's row until commit: a deletion (which locks it) waits, then sees what this made. */
    void shareDataset(String id) {
        find("id", id).withLock(LockModeType.PESSIMISTIC_READ).firstResultOptional();
    }

    List<Dataset> page(PageRequest page, String name) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        String after = page.after("ds");
        if (after != null) {
            where.append(" and id < :after");
            params.put("after", after);
        }
        if (name != null) {
            where.append(" and name = :name");
            params.put("name", name);
        }
        return find(where + " order by id desc", params).page(0, page.limit() + 1).list();
    }

    /** Bytes the current tenant's datasets take in the blob store. */
    long storedBytes() {
        Long bytes = getEntityManager()
                .createQuery("select coalesce(sum(d.storedBytes), 0) from Dataset d", Long.class)
                .getSingleResult();
        return bytes == null ? 0 : bytes;
    }

    /** Serialises storage-quota checks of one tenant for the rest of the transaction. */
    void lockTenantStorage(String tenantId) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "dataset-storage:" + tenantId).getSingleResult();
    }
}

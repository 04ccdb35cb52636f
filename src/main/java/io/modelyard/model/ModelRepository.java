package io.modelyard.model;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class ModelRepository implements PanacheRepositoryBase<Model, String> {

    Optional<Model> findReady(String id) {
        return find("id = ?1 and status = ?2", id, Model.Status.READY).firstResultOptional();
    }

    /**
     * A ready model with its row locked until commit: {@code PESSIMISTIC_WRITE} to delete it,
     * {@code PESSIMISTIC_READ} (shared) to point an alias at it, so that the two go one after the other.
     */
    Optional<Model> findReady(String id, LockModeType lock) {
        return find("id = ?1 and status = ?2", id, Model.Status.READY).withLock(lock).firstResultOptional();
    }

    List<Model> page(PageRequest page, String name) {
        StringBuilder where = new StringBuilder("status = :ready");
        Map<String, Object> params = new HashMap<>();
        params.put("ready", Model.Status.READY);
        String after = page.after("mdl");
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

    int nextVersion(String name) {
        Integer max = getEntityManager()
                .createQuery("select max(m.version) from Model m where m.name = :name", Integer.class)
                .setParameter("name", name).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** Serialises version allocation per (tenant, name) for the rest of the transaction. */
    void lockName(String tenantId, String name) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "model-name:" + tenantId + ":" + name).getSingleResult();
    }

    boolean holdsArtifact(String modelId, String artifactKey, String artifactSha256) {
        return count("id = ?1 and artifactKey = ?2 and artifactSha256 = ?3", modelId, artifactKey, artifactSha256) > 0;
    }
}

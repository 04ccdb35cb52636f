package io.modelyard.optimization;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Trials of the current tenant's tuning jobs. */
@ApplicationScoped
class TuningTrialRepository implements PanacheRepositoryBase<TuningTrial, String> {

    List<TuningTrial> ofJob(String jobId) {
        return list("jobId = ?1 order by number", jobId);
    }

    Optional<TuningTrial> findTrial(String jobId, String id) {
        return find("jobId = ?1 and id = ?2", jobId, id).firstResultOptional();
    }

    /** Newest first. */
    List<TuningTrial> page(String jobId, PageRequest page) {
        String after = page.after("trl");
        PanacheQuery<TuningTrial> query = after == null ? find("jobId = ?1 order by id desc", jobId)
                : find("jobId = ?1 and id < ?2 order by id desc", jobId, after);
        return query.page(0, page.limit() + 1).list();
    }
}

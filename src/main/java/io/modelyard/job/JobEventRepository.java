package io.modelyard.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Events of the current tenant's jobs, oldest first. */
@ApplicationScoped
class JobEventRepository implements PanacheRepositoryBase<JobEvent, String> {

    /** Up to {@code limit} events of the job numbered after {@code afterSeq}. */
    List<JobEvent> after(String jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 order by seq", jobId, afterSeq).page(0, limit).list();
    }

    /** The number of one of the job's events, for cursors. */
    Optional<Long> seqOf(String jobId, String eventId) {
        return find("id = ?1 and jobId = ?2", eventId, jobId).firstResultOptional().map(e -> e.seq);
    }
}

package io.modelyard.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Jobs of the current tenant (the ORM and row-level security both restrict to it). */
@ApplicationScoped
class JobRepository implements PanacheRepositoryBase<Job, String> {

    private final ObjectMapper json;

    JobRepository(ObjectMapper json) {
        this.json = json;
    }

    Optional<Job> findJob(String id) {
        return find("id", id).firstResultOptional();
    }

    /**
     * The job, locked until the transaction ends: every state change goes through here. Read again under the
     * lock: a job already loaded in this transaction (to check its type, say) would otherwise keep the state it
     * had then, and a worker may have appended events since — a stale {@code event_seq} collides with theirs.
     */
    Optional<Job> lock(String id) {
        Optional<Job> job = find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        job.ifPresent(j -> getEntityManager().refresh(j, LockModeType.PESSIMISTIC_WRITE));
        return job;
    }

    /** Makes the tenant known to the queue's fairness bookkeeping (once; later calls change nothing). */
    void joinQueue(String tenantId) {
        getEntityManager().createNativeQuery("insert into job_queue_tenants (tenant_id) values (?1)"
                        + " on conflict do nothing")
                .setParameter(1, tenantId).executeUpdate();
    }

    /** Newest first; metadata filters must all match. */
    @SuppressWarnings("unchecked")
    List<Job> page(String tenantId, PageRequest page, String type, JobState state, Map<String, String> metadata) {
        String after = page.after("job");
        StringBuilder sql = new StringBuilder("select * from jobs where tenant_id = ?1");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (after != null) {
            params.add(after);
            sql.append(" and id < ?").append(params.size());
        }
        if (type != null) {
            params.add(type);
            sql.append(" and type = ?").append(params.size());
        }
        if (state != null) {
            params.add(state.wireName());
            sql.append(" and state = ?").append(params.size());
        }
        if (!metadata.isEmpty()) {
            params.add(write(metadata));
            // Containment uses the GIN index on metadata.
            sql.append(" and metadata @> cast(?").append(params.size()).append(" as jsonb)");
        }
        sql.append(" order by id desc limit ").append(page.limit() + 1);
        Query query = getEntityManager().createNativeQuery(sql.toString(), Job.class);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        return query.getResultList();
    }

    private String write(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    long sumOfUnfinished(String tenantId, String type, String payloadField) {
        Object sum = getEntityManager().createNativeQuery("select coalesce(sum((payload ->> ?3)::bigint), 0)"
                        + " from jobs where tenant_id = ?1 and type = ?2"
                        + " and state not in ('succeeded', 'failed', 'cancelled')")
                .setParameter(1, tenantId).setParameter(2, type).setParameter(3, payloadField).getSingleResult();
        return ((Number) sum).longValue();
    }

    /** One unfinished job (paused included) whose payload field holds one of {@code values}, if any. */
    Optional<String> unfinishedNaming(String payloadField, Collection<String> values) {
        @SuppressWarnings("unchecked")
        List<String> ids = getEntityManager().createNativeQuery("select id from jobs"
                        + " where state in ('queued', 'running', 'cancelling', 'pausing', 'paused')"
                        + " and payload ->> ?1 = any(cast(?2 as text[])) order by id limit 1")
                .setParameter(1, payloadField).setParameter(2, values.toArray(String[]::new)).getResultList();
        return ids.stream().findFirst();
    }

    /** The values of a payload field over the queued, running and cancelling jobs of {@code type}. */
    Set<String> livePayloadValues(String type, String payloadField) {
        @SuppressWarnings("unchecked")
        List<String> values = getEntityManager().createNativeQuery("select payload ->> ?2 from jobs"
                        + " where type = ?1 and state in ('queued', 'running', 'cancelling')"
                        + " and payload ->> ?2 is not null")
                .setParameter(1, type).setParameter(2, payloadField).getResultList();
        return new HashSet<>(values);
    }
}

package io.modelyard.job;

import io.modelyard.common.TypedId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** One thing that happened to a job, numbered ({@code seq}) in the order it happened. Never changed. */
@Entity
@Table(name = "job_events")
class JobEvent {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    @Column(name = "job_id", nullable = false, updatable = false)
    String jobId;

    @Column(nullable = false, updatable = false)
    long seq;

    @Column(nullable = false, updatable = false)
    JobEventType type;

    @Column(updatable = false)
    JobEventLevel level;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    Map<String, Object> data;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    protected JobEvent() {
    }

    JobEvent(String jobId, long seq, JobEventType type, JobEventLevel level, Map<String, Object> data, Instant now) {
        this.id = TypedId.generate("evt");
        this.jobId = jobId;
        this.seq = seq;
        this.type = type;
        this.level = level;
        this.data = data;
        this.createdAt = now;
    }
}

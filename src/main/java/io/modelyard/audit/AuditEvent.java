package io.modelyard.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** One audit record, read-only to the application (see {@link AuditLog} for writing). */
@Entity
@Immutable
@Table(name = "audit_events")
class AuditEvent {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id")
    String tenantId;

    @Column(name = "actor_type")
    String actorType;

    @Column(name = "actor_id")
    String actorId;

    String action;

    @Column(name = "target_type")
    String targetType;

    @Column(name = "target_id")
    String targetId;

    @Column(name = "source_ip")
    String sourceIp;

    @Column(name = "request_id")
    String requestId;

    @Column(name = "client_request_id")
    String clientRequestId;

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> details;

    @Column(name = "created_at")
    Instant createdAt;
}

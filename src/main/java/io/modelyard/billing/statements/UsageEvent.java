package io.modelyard.billing.statements;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** One ledger row, read-only to the ORM: rows are appended by {@code ledger.UsageRecorder} and the ledger writer. */
@Entity
@Immutable
@Table(name = "usage_events")
class UsageEvent {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id")
    String tenantId;

    String meter;

    BigDecimal quantity;

    String unit;

    @Column(name = "occurred_at")
    Instant occurredAt;

    @Column(name = "idempotency_key")
    String idempotencyKey;

    String source;

    @Column(name = "api_key_id")
    String apiKeyId;

    @Column(name = "model_id")
    String modelId;

    @Column(name = "job_id")
    String jobId;

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, Object> attributes;
}

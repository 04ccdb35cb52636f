package io.modelyard.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/** A movable name (for example {@code production}) for one model version of the tenant. */
@Entity
@Table(name = "model_aliases")
class ModelAlias {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id")
    String tenantId;

    String alias;

    @Column(name = "model_id")
    String modelId;

    @Column(name = "updated_by")
    String updatedBy;

    @Column(name = "updated_at")
    Instant updatedAt;

    void pointAt(String modelId, String by, Instant now) {
        this.modelId = modelId;
        this.updatedBy = by;
        this.updatedAt = now;
    }
}

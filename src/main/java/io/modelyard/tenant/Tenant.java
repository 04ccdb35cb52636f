package io.modelyard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer company: the unit of isolation, billing and plan. Its id is the tenant id of all its data. */
@Entity
@Table(name = "tenants")
public class Tenant {

    @Id
    String id;

    @Column(nullable = false)
    String name;

    @Column(nullable = false)
    String plan;

    @Column(nullable = false)
    TenantStatus status;

    @Column(name = "suspended_reason")
    String suspendedReason;

    @Column(name = "erase_after")
    Instant eraseAfter;

    @Column(name = "erased_at", insertable = false, updatable = false)
    Instant erasedAt;

    @Column(name = "datasets_retention_days")
    Integer datasetsRetentionDays;

    @Column(name = "models_retention_days")
    Integer modelsRetentionDays;

    @Column(name = "batch_results_retention_days")
    Integer batchResultsRetentionDays;

    @Column(name = "created_by", nullable = false, updatable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected Tenant() {
    }

    Tenant(String id, String name, String plan, String createdBy, Instant now) {
        this.id = id;
        this.name = name;
        this.plan = plan;
        this.status = TenantStatus.ACTIVE;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void rename(String newName, Instant now) {
        this.name = newName;
        this.updatedAt = now;
    }

    void suspend(String reason, Instant now) {
        this.status = TenantStatus.SUSPENDED;
        this.suspendedReason = reason == null || reason.isBlank() ? "suspended by a platform operator" : reason;
        this.updatedAt = now;
    }

    void retain(TenantRetention retention, Instant now) {
        this.datasetsRetentionDays = retention.datasetsDays();
        this.modelsRetentionDays = retention.modelsDays();
        this.batchResultsRetentionDays = retention.batchResultsDays();
        this.updatedAt = now;
    }

    public TenantRetention retention() {
        return new TenantRetention(datasetsRetentionDays, modelsRetentionDays, batchResultsRetentionDays);
    }

    void scheduleErasure(Instant eraseAfter, Instant now) {
        this.status = TenantStatus.DELETING;
        this.eraseAfter = eraseAfter;
        this.updatedAt = now;
    }

    /** Back to what it was before the deletion: a tenant suspended then deleted is restored suspended. */
    void restore(Instant now) {
        this.status = suspendedReason != null ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE;
        this.eraseAfter = null;
        this.updatedAt = now;
    }

    void resume(Instant now) {
        this.status = TenantStatus.ACTIVE;
        this.suspendedReason = null;
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String plan() {
        return plan;
    }

    public TenantStatus status() {
        return status;
    }

    public String suspendedReason() {
        return suspendedReason;
    }

    /** When a deleted tenant will be erased; null unless it is {@code deleting}. */
    public Instant eraseAfter() {
        return eraseAfter;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}

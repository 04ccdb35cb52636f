package io.modelyard.training;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/** One saved point of a training job; the trainer's state itself is a blob. */
@Entity
@Table(name = "training_checkpoints")
class TrainingCheckpoint {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id")
    String tenantId;

    @Column(name = "job_id")
    String jobId;

    int attempt;

    @Column(name = "completed_epochs")
    int completedEpochs;

    @Column(name = "step_in_epoch")
    int stepInEpoch;

    @Column(name = "global_step")
    long globalStep;

    @Column(name = "blob_key")
    String blobKey;

    String sha256;

    @Column(name = "size_bytes")
    long sizeBytes;

    /** Compute the job had used, all attempts together, when this checkpoint was taken. */
    @Column(name = "compute_seconds")
    BigDecimal computeSeconds;

    String device;

    @Column(name = "created_at")
    Instant createdAt;
}

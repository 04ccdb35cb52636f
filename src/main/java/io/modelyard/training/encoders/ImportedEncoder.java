package io.modelyard.training.encoders;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/** An imported TorchScript text encoder: the uploaded zip and the size of its vocabulary. */
@Entity
@Table(name = "imported_encoders")
class ImportedEncoder {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    String name;

    @Column(name = "vocabulary_size")
    int vocabularySize;

    @Column(name = "blob_key")
    String blobKey;

    String sha256;

    @Column(name = "size_bytes")
    long sizeBytes;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "created_at")
    Instant createdAt;
}

package io.modelyard.training.vectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/** An uploaded word-vectors file: the blob, its width and how many words it has. */
@Entity
@Table(name = "word_vectors")
class WordVectors {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    String name;
    int dimensions;
    long words;

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

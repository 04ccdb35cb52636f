package io.modelyard.training.vectors;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.job.JobFailedException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.TrainingFileStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Word vectors of the current tenant: uploaded once (stored as received, checked, recorded), named by training
 * jobs ({@code word_vectors_id}) to initialise a text model's embeddings, deleted with their blob.
 */
@ApplicationScoped
public class WordVectorsService {

    private final EntityManager entityManager;
    private final TrainingFileStore files;
    private final TenantContext context;
    private final AuditLog audit;
    private final PlatformClock clock;

    WordVectorsService(EntityManager entityManager, TrainingFileStore files, TenantContext context, AuditLog audit,
            PlatformClock clock) {
        this.entityManager = entityManager;
        this.files = files;
        this.context = context;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores and checks an upload: 413 past the plan's upload limit, 422 {@code invalid-word-vectors} naming the
     * first bad line; a refusal keeps nothing.
     */
    public Idempotency.Outcome<WordVectorsView> upload(String name, InputStream body, String idempotencyKey) {
        return files.upload("word-vectors", "wv", ".txt", name, body, idempotencyKey, WordVectorsView.class,
                WordVectorsFile::check, (id, blob, shape) -> {
            WordVectors v = new WordVectors();
            v.id = id;
            v.name = name;
            v.dimensions = shape.dimensions();
            v.words = shape.words();
            v.blobKey = blob.key();
            v.sha256 = blob.sha256();
            v.sizeBytes = blob.size();
            v.createdBy = context.actor().reference();
            v.createdAt = clock.now();
            entityManager.persist(v);
            audit.record("word_vectors.created", "word_vectors", id, Map.of("name", name));
            return WordVectorsView.of(v);
        });
    }

    @Transactional
    public WordVectorsView get(String id) {
        context.require(Permission.READ);
        return WordVectorsView.of(find(id));
    }

    @Transactional
    public Page<WordVectorsView> list(PageRequest page) {
        context.require(Permission.READ);
        return page.newestFirst(entityManager, WordVectors.class, "wv", v -> v.id, WordVectorsView::of);
    }

    /** Deletes the record, then the file once that commits. */
    @Transactional
    public void delete(String id) {
        context.require(Permission.DATASETS_WRITE);
        WordVectors v = find(id);
        entityManager.remove(v);
        audit.record("word_vectors.deleted", "word_vectors", id, Map.of("name", v.name));
        files.deleteAfterCommit(v.blobKey);
    }

    /** On a worker: copies the file to {@code target} (a job failure when it was deleted meanwhile). */
    public void download(String id, Path target) {
        WordVectors v;
        try {
            v = QuarkusTransaction.requiringNew().call(() -> find(id));
        } catch (ProblemException e) {
            throw new JobFailedException("word_vectors_not_found", "The word vectors " + id + " no longer exist.");
        }
        files.read(v.blobKey, v.sha256, "word_vectors_unreadable", "The word vectors could not be read.",
                in -> Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING));
    }

    private WordVectors find(String id) {
        WordVectors v = id == null ? null : entityManager.find(WordVectors.class, id);
        if (v == null) {
            throw ProblemException.notFound("word vectors", id);
        }
        return v;
    }
}

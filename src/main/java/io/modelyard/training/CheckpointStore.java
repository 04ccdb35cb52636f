package io.modelyard.training;

import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.engine.Checkpoint;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Training checkpoints of the current tenant: the trainer's state in the blob store under the job's own
 * prefix, and a row per checkpoint. Keeps the newest few per job; a checkpoint whose blob is missing or
 * corrupt is skipped in favour of the one before it.
 */
@ApplicationScoped
class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    /** Checkpoint states are the model plus optimizer moments: far below this for our architectures. */
    private static final long MAX_CHECKPOINT_BYTES = 2L * 1024 * 1024 * 1024;

    private final BlobStore blobs;
    private final TrainingCheckpointRepository checkpoints;
    private final TenantContext context;
    private final PlatformClock clock;
    private final TrainingConfig config;

    CheckpointStore(BlobStore blobs, TrainingCheckpointRepository checkpoints, TenantContext context,
            PlatformClock clock, TrainingConfig config) {
        this.blobs = blobs;
        this.checkpoints = checkpoints;
        this.context = context;
        this.clock = clock;
        this.config = config;
    }

    static String prefix(String tenantId, String jobId) {
        return "tenants/" + tenantId + "/jobs/" + jobId + "/";
    }

    /** Stores a checkpoint and forgets all but the newest few of the job. */
    void save(String jobId, int attempt, Checkpoint checkpoint, BigDecimal computeSeconds,
            String device) {
        String tenantId = context.requireTenant();
        String key = prefix(tenantId, jobId) + "checkpoints/" + checkpoint.globalStep() + ".ckpt";
        BlobInfo blob = blobs.put(key, new ByteArrayInputStream(checkpoint.state()), MAX_CHECKPOINT_BYTES);
        List<String> stale = QuarkusTransaction.requiringNew().call(() -> {
            checkpoints.delete("jobId = ?1 and globalStep = ?2", jobId, checkpoint.globalStep());
            TrainingCheckpoint row = new TrainingCheckpoint();
            row.id = TypedId.generate("ckp");
            row.jobId = jobId;
            row.attempt = attempt;
            row.completedEpochs = checkpoint.completedEpochs();
            row.stepInEpoch = checkpoint.stepInEpoch();
            row.globalStep = checkpoint.globalStep();
            row.blobKey = blob.key();
            row.sha256 = blob.sha256();
            row.sizeBytes = blob.size();
            row.computeSeconds = computeSeconds;
            row.device = device;
            row.createdAt = clock.now();
            checkpoints.persist(row);
            List<TrainingCheckpoint> all = checkpoints.ofJob(jobId);
            List<TrainingCheckpoint> older = all.subList(Math.min(config.checkpointsKept(), all.size()), all.size());
            List<String> keys = older.stream().map(c -> c.blobKey).toList();
            older.forEach(checkpoints::delete);
            return keys;
        });
        stale.forEach(blobs::delete);
    }

    /** The newest readable checkpoint of the job, with the compute used up to it. */
    Optional<Stored> latest(String jobId) {
        List<TrainingCheckpoint> rows = QuarkusTransaction.requiringNew().call(() -> checkpoints.ofJob(jobId));
        for (TrainingCheckpoint row : rows) {
            try (InputStream in = blobs.open(row.blobKey, row.sha256)) {
                byte[] state = in.readAllBytes();
                return Optional.of(new Stored(new Checkpoint(row.completedEpochs, row.stepInEpoch, row.globalStep,
                        state), row.computeSeconds));
            } catch (IOException | BlobStoreException e) {
                LOG.warnf("Checkpoint %s of job %s is unreadable (%s); trying the one before", row.id, jobId,
                        e.getMessage());
            }
        }
        return Optional.empty();
    }

    List<TrainingCheckpoint> list(String jobId) {
        return checkpoints.ofJob(jobId);
    }

    /** Removes every checkpoint of the job (after cancellation or success). */
    void deleteAll(String jobId) {
        String tenantId = context.requireTenant();
        QuarkusTransaction.requiringNew().run(() -> checkpoints.delete("jobId", jobId));
        blobs.deleteByPrefix(prefix(tenantId, jobId) + "checkpoints/");
    }

    /** A checkpoint as stored, with the compute the job had used when it was taken. */
    record Stored(Checkpoint checkpoint, BigDecimal computeSeconds) {
    }
}

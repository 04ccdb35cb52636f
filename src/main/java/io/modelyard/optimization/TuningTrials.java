package io.modelyard.optimization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.EpochMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A tuning job's trials as its handler keeps them: rows in {@code tuning_trials}, each change in its own short
 * transaction (a trial's progress must survive its worker), and each trial's latest checkpoint and finished
 * model as blobs under {@code tenants/<tenant>/jobs/<job>/trials/<number>/}.
 */
@ApplicationScoped
class TuningTrials {

    private static final long MAX_BLOB_BYTES = 2L * 1024 * 1024 * 1024;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Double>> NUMBERS = new TypeReference<>() {
    };
    private static final TypeReference<List<EpochMetrics>> HISTORY = new TypeReference<>() {
    };

    private final TuningTrialRepository trials;
    private final BlobStore blobs;
    private final TenantContext context;
    private final PlatformClock clock;
    private final ObjectMapper json;

    TuningTrials(TuningTrialRepository trials, BlobStore blobs, TenantContext context, PlatformClock clock,
            ObjectMapper json) {
        this.trials = trials;
        this.blobs = blobs;
        this.context = context;
        this.clock = clock;
        this.json = json;
    }

    List<TuningTrial> list(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> trials.ofJob(jobId));
    }

    TuningTrial create(String jobId, int number, TuningTrial.Origin origin, Map<String, Object> config,
            Object hyperparameters, int targetEpochs) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TuningTrial t = new TuningTrial();
            t.id = TypedId.generate("trl");
            t.jobId = jobId;
            t.number = number;
            t.origin = origin;
            t.state = TuningTrial.State.RUNNING;
            t.architecture = SearchSpace.architecture(config);
            t.config = write(config);
            t.hyperparameters = write(hyperparameters);
            t.targetEpochs = targetEpochs;
            t.rung = -1;
            t.rungScores = "[]";
            t.history = "[]";
            t.computeSeconds = BigDecimal.ZERO;
            t.createdAt = clock.now();
            t.updatedAt = t.createdAt;
            trials.persist(t);
            return t;
        });
    }

    /** Applies {@code change} to the stored trial in a transaction of its own; returns the trial as stored. */
    TuningTrial update(String trialId, Consumer<TuningTrial> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TuningTrial t = trials.findById(trialId);
            change.accept(t);
            t.updatedAt = clock.now();
            if (t.isFinished() && t.finishedAt == null) {
                t.finishedAt = t.updatedAt;
            }
            return t;
        });
    }

    /** Stores a trial's checkpoint with its history and compute so far; the one before is deleted. */
    void saveCheckpoint(TuningTrial trial, Checkpoint checkpoint, List<EpochMetrics> history, BigDecimal compute) {
        String key = prefix(trial) + "checkpoint-" + checkpoint.globalStep() + ".ckpt";
        BlobInfo blob = blobs.put(key, new ByteArrayInputStream(checkpoint.state()), MAX_BLOB_BYTES);
        String previous = trial.checkpointKey;
        TuningTrial stored = update(trial.id, t -> {
            t.checkpointKey = blob.key();
            t.checkpointSha256 = blob.sha256();
            t.epochsRun = checkpoint.completedEpochs();
            t.history = write(history);
            t.computeSeconds = compute;
        });
        trial.checkpointKey = stored.checkpointKey;
        trial.checkpointSha256 = stored.checkpointSha256;
        if (previous != null && !previous.equals(key)) {
            blobs.delete(previous);
        }
    }

    /** The trial's last checkpoint, if it has a readable one. */
    Optional<Checkpoint> checkpoint(TuningTrial trial) {
        if (trial.checkpointKey == null) {
            return Optional.empty();
        }
        try (InputStream in = blobs.open(trial.checkpointKey, trial.checkpointSha256)) {
            return Optional.of(new Checkpoint(trial.epochsRun, 0, 0, in.readAllBytes()));
        } catch (IOException | BlobStoreException e) {
            return Optional.empty();
        }
    }

    BlobInfo saveArtifact(TuningTrial trial, byte[] artifact) {
        return blobs.put(prefix(trial) + "model.zip", new ByteArrayInputStream(artifact), MAX_BLOB_BYTES);
    }

    byte[] artifact(TuningTrial trial) {
        try (InputStream in = blobs.open(trial.artifactKey, trial.artifactSha256)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BlobStoreException("Could not read " + trial.artifactKey, e);
        }
    }

    void deleteBlob(String key) {
        if (key != null) {
            blobs.delete(key);
        }
    }

    /** Every checkpoint and model of the job's trials (after a cancel). */
    void deleteAllBlobs(String jobId) {
        blobs.deleteByPrefix(jobPrefix(jobId) + "trials/");
    }

    String jobPrefix(String jobId) {
        return "tenants/" + context.requireTenant() + "/jobs/" + jobId + "/";
    }

    private String prefix(TuningTrial trial) {
        return jobPrefix(trial.jobId) + "trials/" + trial.number + "/";
    }

    TuningPlan.TrialStatus status(TuningTrial t) {
        return new TuningPlan.TrialStatus(t.number, t.origin, t.state, config(t), t.rung, rungScores(t),
                t.targetEpochs);
    }

    Map<String, Object> config(TuningTrial t) {
        return read(t.config, OBJECT);
    }

    List<Double> rungScores(TuningTrial t) {
        return read(t.rungScores, NUMBERS);
    }

    List<EpochMetrics> history(TuningTrial t) {
        return new ArrayList<>(read(t.history, HISTORY));
    }

    JsonNode tree(String text) {
        return text == null ? null : read(text, new TypeReference<JsonNode>() {
        });
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable trial column", e);
        }
    }
}

package io.modelyard.optimization;

import io.modelyard.common.LowercaseEnumConverter;
import io.modelyard.model.spec.Architecture;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * One configuration a tuning job tried. JSON columns hold text written by the API's mapper (snake_case), so
 * stored and served names agree.
 */
@Entity
@Table(name = "tuning_trials")
class TuningTrial {

    /** Why the trial exists: the two fixed reference trials, or the sampler that proposed it. */
    enum Origin {
        BASELINE, DEFAULT, RANDOM, TPE;

        boolean sampled() {
            return this == RANDOM || this == TPE;
        }

        @jakarta.persistence.Converter(autoApply = true)
        static class Column extends LowercaseEnumConverter<Origin> {
            Column() {
                super(Origin.class);
            }
        }
    }

    /**
     * {@code running}: being trained (or to be resumed); {@code waiting}: reached a rung of successive halving
     * and may be promoted; {@code completed}: trained to the end, a model exists; {@code stopped_early}: never
     * promoted past its rung; {@code failed}: could not be trained (diverged, invalid combination);
     * {@code budget_exhausted}: stopped when the compute budget ran out; {@code cancelled}: the job was.
     */
    enum State {
        RUNNING, WAITING, COMPLETED, STOPPED_EARLY, FAILED, BUDGET_EXHAUSTED, CANCELLED;

        @jakarta.persistence.Converter(autoApply = true)
        static class Column extends LowercaseEnumConverter<State> {
            Column() {
                super(State.class);
            }
        }
    }

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    @Column(name = "job_id", nullable = false, updatable = false)
    String jobId;

    int number;

    @Convert(converter = Origin.Column.class)
    Origin origin;

    @Convert(converter = State.Column.class)
    State state;

    Architecture architecture;

    /** The sampled configuration: architecture and searched values. */
    @JdbcTypeCode(SqlTypes.JSON)
    String config;

    /** Every hyperparameter the trial trains with, resolved. */
    @JdbcTypeCode(SqlTypes.JSON)
    String hyperparameters;

    /** Epochs after which the trial pauses for a promotion decision (its full epochs for a final run). */
    @Column(name = "target_epochs")
    int targetEpochs;

    /** The highest rung reached (0-based), -1 before the first. */
    int rung;

    /** The objective's score (larger is better) at each rung reached. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "rung_scores")
    String rungScores;

    @Column(name = "epochs_run")
    int epochsRun;

    /** The objective on the validation split at the epoch whose weights the trial keeps. */
    @Column(name = "objective_value")
    Double objectiveValue;

    @Column(name = "best_epoch")
    Integer bestEpoch;

    @JdbcTypeCode(SqlTypes.JSON)
    String history;

    @Column(name = "compute_seconds")
    BigDecimal computeSeconds;

    @Column(name = "latency_ms")
    Double latencyMs;

    @Column(name = "size_bytes")
    Long sizeBytes;

    boolean pareto;

    @Column(name = "checkpoint_key")
    String checkpointKey;

    @Column(name = "checkpoint_sha256")
    String checkpointSha256;

    @Column(name = "artifact_key")
    String artifactKey;

    @Column(name = "artifact_sha256")
    String artifactSha256;

    /** The test-split evaluation: shown only for the model the job registers. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "test_evaluation")
    String testEvaluation;

    String error;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    boolean isFinished() {
        return state != State.RUNNING && state != State.WAITING;
    }
}

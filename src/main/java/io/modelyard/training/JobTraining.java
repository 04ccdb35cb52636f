package io.modelyard.training;

import io.modelyard.job.JobEventLevel;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingProgress;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One job's training run as the engine sees it, for every job type that trains a network (training,
 * compression's fine-tuning, distillation): checkpoints in the blob store under the job (resumed from after a
 * lost worker, a shutdown or a pause), the compute used across runs, per-epoch metrics and progress as job
 * events, and the job's stop requests as the engine's stop signal. Get one from {@link TrainingRuns#jobTraining}.
 */
public final class JobTraining {

    private final CheckpointStore checkpoints;
    private final JobExecution execution;
    private final String device;
    private final Optional<CheckpointStore.Stored> resumeFrom;
    private final ComputeClock clock;
    private final Duration checkpointInterval;

    JobTraining(CheckpointStore checkpoints, JobExecution execution, String device, Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
        this.checkpoints = checkpoints;
        this.execution = execution;
        this.device = device;
        this.resumeFrom = execution.resumed() ? checkpoints.latest(execution.jobId()) : Optional.empty();
        this.clock = new ComputeClock(resumeFrom.map(CheckpointStore.Stored::computeSeconds).orElse(BigDecimal.ZERO));
    }

    /** The job's compute: what earlier runs used up to their last checkpoint, plus this run. */
    public ComputeClock clock() {
        return clock;
    }

    public CheckpointSink sink() {
        return new CheckpointSink() {
            @Override
            public void save(Checkpoint checkpoint) {
                checkpoints.save(execution.jobId(), execution.attempt(), checkpoint, clock.total(), device);
                execution.events().checkpoint(Map.of("completed_epochs", checkpoint.completedEpochs(),
                        "step_in_epoch", checkpoint.stepInEpoch(), "global_step", checkpoint.globalStep()));
            }

            @Override
            public Duration epochInterval() {
                return checkpointInterval;
            }

            @Override
            public Optional<Checkpoint> latest() {
                return resumeFrom.map(CheckpointStore.Stored::checkpoint);
            }
        };
    }

    /** Per-epoch metrics, progress with an estimated finish, messages and resumes as the job's events. */
    public TrainingListener listener() {
        Instant started = Instant.now();
        return new TrainingListener() {
            @Override
            public void epochCompleted(EpochMetrics m) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("epoch", m.epoch());
                values.put("train_loss", m.trainLoss());
                values.put("val_loss", m.valLoss());
                putIfPresent(values, "val_accuracy", m.valAccuracy());
                putIfPresent(values, "val_f1", m.valF1());
                putIfPresent(values, "val_mse", m.valMse());
                putIfPresent(values, "val_mae", m.valMae());
                values.put("learning_rate", m.learningRate());
                values.put("improved", m.improved());
                values.put("duration_ms", m.durationMillis());
                execution.events().metrics(values);
            }

            @Override
            public void progress(TrainingProgress p) {
                double fraction = p.fraction();
                Instant eta = null;
                if (fraction > 0.02) {
                    long elapsed = Duration.between(started, Instant.now()).toMillis();
                    eta = Instant.now().plusMillis((long) (elapsed * (1 - fraction) / fraction));
                }
                execution.events().progress(Math.min(99.0, fraction * 100), eta);
            }

            @Override
            public void message(MessageLevel level, String text) {
                execution.events().message(level == MessageLevel.WARN ? JobEventLevel.WARNING : JobEventLevel.INFO,
                        text);
            }

            @Override
            public void resumed(int fromEpoch, long fromStep) {
                execution.events().info("Resumed from the checkpoint after epoch " + fromEpoch + " (step "
                        + fromStep + ").");
            }
        };
    }

    /** Cancel and a lost lease abort; a shutdown or a pause checkpoints first. */
    public StopSignal stopSignal() {
        return stopSignal(null);
    }

    /** As {@link #stopSignal()}, and the run also aborts once its compute passes {@code computeLimit}. */
    public StopSignal stopSignal(BigDecimal computeLimit) {
        return new StopSignal() {
            @Override
            public boolean cancelRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.CANCEL || reason == StopReason.LEASE_LOST || clock.passes(computeLimit);
            }

            @Override
            public boolean checkpointAndStopRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.SHUTDOWN || reason == StopReason.PAUSE;
            }
        };
    }

    /** What to throw when the engine stopped on request; a cancelled job's checkpoints are deleted first. */
    public JobStoppedException stopped() {
        StopReason reason = execution.stopRequested();
        if (reason == StopReason.CANCEL || reason == StopReason.NONE) {
            deleteCheckpoints();
        }
        return new JobStoppedException(reason == StopReason.NONE ? StopReason.CANCEL : reason);
    }

    /** Why the engine stopped: the stop requested of the job, NONE when it stopped for passing its limit. */
    public StopReason stopReason() {
        return execution.stopRequested();
    }

    public void deleteCheckpoints() {
        checkpoints.deleteAll(execution.jobId());
    }

    private static void putIfPresent(Map<String, Object> values, String key, Double value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}

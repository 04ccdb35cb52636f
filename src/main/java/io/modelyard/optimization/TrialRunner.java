package io.modelyard.optimization;

import io.modelyard.job.JobExecution;
import io.modelyard.job.StopReason;
import io.modelyard.training.ComputeClock;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.TrainingSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Trains one segment of a trial: from its checkpoint (if it has one) until it reaches its target epochs, finishes,
 * fails, runs out of budget, or the job is asked to stop. The trainer is the one every training job uses; this
 * class only gives it a checkpoint sink per trial and a stop signal that also fires at the rung's last epoch.
 */
final class TrialRunner {

    /** How a segment ended. {@code outcome} only for {@code COMPLETED}; {@code error} only for {@code FAILED}. */
    record Result(Ending ending, TrainingOutcome outcome, List<EpochMetrics> history, String error,
            BigDecimal computeSeconds) {
    }

    enum Ending { COMPLETED, REACHED_TARGET, BUDGET, FAILED, STOPPED }

    private final ModelTrainer trainer;
    private final TuningTrials store;
    private final JobExecution execution;
    private final BooleanSupplier budgetSpent;

    TrialRunner(ModelTrainer trainer, TuningTrials store, JobExecution execution, BooleanSupplier budgetSpent) {
        this.trainer = trainer;
        this.store = store;
        this.execution = execution;
        this.budgetSpent = budgetSpent;
    }

    Result run(TuningTrial trial, TrainingSpec spec, TrainingData data, Objective objective, double variance) {
        List<EpochMetrics> history = store.history(trial);
        Optional<Checkpoint> resumeFrom = store.checkpoint(trial);
        if (resumeFrom.isEmpty()) {
            history.clear();
        }
        BigDecimal before = trial.computeSeconds == null ? BigDecimal.ZERO : trial.computeSeconds;
        ComputeClock trialClock = new ComputeClock(before);
        int target = trial.targetEpochs;
        int[] epochsDone = {resumeFrom.map(Checkpoint::completedEpochs).orElse(0)};
        boolean[] budgetHit = {false};
        CheckpointSink sink = new CheckpointSink() {
            @Override
            public void save(Checkpoint checkpoint) {
                store.saveCheckpoint(trial, checkpoint, history.subList(0, Math.min(history.size(),
                        checkpoint.completedEpochs())), trialClock.total());
            }

            @Override
            public Optional<Checkpoint> latest() {
                return resumeFrom;
            }
        };
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochCompleted(EpochMetrics m) {
                history.add(m);
                epochsDone[0] = m.epoch();
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("trial", trial.number);
                values.put("epoch", m.epoch());
                values.put("train_loss", m.trainLoss());
                values.put("val_loss", m.valLoss());
                putIfPresent(values, "val_accuracy", m.valAccuracy());
                putIfPresent(values, "val_f1", m.valF1());
                putIfPresent(values, "val_mse", m.valMse());
                putIfPresent(values, "val_mae", m.valMae());
                putIfPresent(values, objective.wireName(), objective.value(m, variance));
                values.put("improved", m.improved());
                execution.events().metrics(values);
            }

            @Override
            public void message(MessageLevel level, String text) {
                if (level == MessageLevel.WARN) {
                    execution.events().warning("Trial " + trial.number + ": " + text);
                }
            }
        };
        StopSignal stop = new StopSignal() {
            @Override
            public boolean cancelRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.CANCEL || reason == StopReason.LEASE_LOST;
            }

            @Override
            public boolean checkpointAndStopRequested() {
                if (execution.stopRequested() != StopReason.NONE || epochsDone[0] >= target) {
                    return true;
                }
                if (budgetSpent.getAsBoolean()) {
                    budgetHit[0] = true;
                    return true;
                }
                return false;
            }
        };
        try {
            TrainingOutcome outcome = trainer.train(spec, data, sink, listener, stop);
            return new Result(Ending.COMPLETED, outcome, outcome.history(), null, trialClock.total());
        } catch (TrainingPreemptedException e) {
            if (execution.stopRequested() != StopReason.NONE) {
                return new Result(Ending.STOPPED, null, history, null, trialClock.total());
            }
            return new Result(budgetHit[0] ? Ending.BUDGET : Ending.REACHED_TARGET, null, history, null,
                    trialClock.total());
        } catch (InvalidTrainingSpecException | TrainingDataException | TrainingDivergedException e) {
            return new Result(Ending.FAILED, null, history, e.getMessage(), trialClock.total());
        }
    }

    private static void putIfPresent(Map<String, Object> values, String key, Double value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}

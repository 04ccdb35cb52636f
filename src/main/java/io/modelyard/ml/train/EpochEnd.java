package io.modelyard.ml.train;

import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingListener;
import java.util.List;

/** What happens after an epoch's last batch: validation, early stopping, metrics. */
final class EpochEnd {

    private static final int VALIDATION_BATCH = 256;

    private final PreparedData data;
    private final List<String> labels;
    private final Hyperparameters h;
    private final RunState state;
    private final TrainingListener listener;

    EpochEnd(PreparedData data, List<String> labels, Hyperparameters h, RunState state, TrainingListener listener) {
        this.data = data;
        this.labels = labels;
        this.h = h;
        this.state = state;
        this.listener = listener;
    }

    /**
     * Validates and updates early stopping and the history.
     *
     * @return whether the validation loss is the best so far (the caller keeps these weights)
     */
    boolean finish(Trainer trainer, Loss loss, int epoch, double trainLoss, float rate, long startedNanos) {
        if (!Double.isFinite(trainLoss)) {
            throw new TrainingDivergedException(epoch + 1);
        }
        Validation.Result validation = Validation.run(trainer, loss, data.validation, data.validationTargets, data,
                labels, Math.max(VALIDATION_BATCH, h.batchSize()));
        boolean improved = validation.loss() < state.bestValidationLoss;
        if (improved) {
            state.bestValidationLoss = validation.loss();
            state.bestEpoch = epoch + 1;
            state.epochsWithoutImprovement = 0;
        } else {
            state.epochsWithoutImprovement++;
        }
        EpochMetrics metrics = new EpochMetrics(epoch + 1, trainLoss, validation.loss(), validation.accuracy(),
                validation.f1(), validation.mse(), validation.mae(), rate, improved,
                (System.nanoTime() - startedNanos) / 1_000_000);
        state.history.add(metrics);
        state.completedEpochs = epoch + 1;
        state.stepInEpoch = 0;
        state.epochLossSum = 0;
        state.epochSamples = 0;
        if (h.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement >= h.earlyStoppingPatience()
                && state.completedEpochs < h.epochs()) {
            state.earlyStopped = true;
        }
        listener.epochCompleted(metrics);
        return improved;
    }
}

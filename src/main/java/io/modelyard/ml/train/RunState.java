package io.modelyard.ml.train;

import io.modelyard.training.engine.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about a run's position besides weights and optimizer buffers: where the data stream is, the loss of
 * the epoch in progress, early stopping's memory and the metrics so far. The random streams need no state of
 * their own: the shuffle of an epoch and the engine seed of a step are functions of the seed and the position.
 */
final class RunState {

    /** What the checkpoint's {@code state.json} holds. */
    record Snapshot(long fingerprint, int completedEpochs, int stepInEpoch, long globalStep, long samplesSeen,
            double epochLossSum, long epochSamples, double bestValidationLoss, int bestEpoch,
            int epochsWithoutImprovement, boolean earlyStopped, List<EpochMetrics> history) {
    }

    long fingerprint;
    int completedEpochs;
    int stepInEpoch;
    long globalStep;
    long samplesSeen;
    double epochLossSum;
    long epochSamples;
    double bestValidationLoss = Double.POSITIVE_INFINITY;
    int bestEpoch;
    int epochsWithoutImprovement;
    boolean earlyStopped;
    List<EpochMetrics> history = new ArrayList<>();
    byte[] bestWeights;

    Snapshot snapshot() {
        return new Snapshot(fingerprint, completedEpochs, stepInEpoch, globalStep, samplesSeen, epochLossSum,
                epochSamples, bestValidationLoss, bestEpoch, epochsWithoutImprovement, earlyStopped,
                List.copyOf(history));
    }

    static RunState of(Snapshot s, byte[] bestWeights) {
        RunState state = new RunState();
        state.fingerprint = s.fingerprint();
        state.completedEpochs = s.completedEpochs();
        state.stepInEpoch = s.stepInEpoch();
        state.globalStep = s.globalStep();
        state.samplesSeen = s.samplesSeen();
        state.epochLossSum = s.epochLossSum();
        state.epochSamples = s.epochSamples();
        state.bestValidationLoss = s.bestValidationLoss();
        state.bestEpoch = s.bestEpoch();
        state.epochsWithoutImprovement = s.epochsWithoutImprovement();
        state.earlyStopped = s.earlyStopped();
        state.history = new ArrayList<>(s.history());
        state.bestWeights = bestWeights;
        return state;
    }
}

package io.modelyard.ml.train;

import ai.djl.training.loss.Loss;
import ai.djl.ndarray.NDManager;
import io.modelyard.ml.ModelShape.OutputKind;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.LossKind;
import java.util.List;

/** The loss of each output kind: per-example means, so losses compare across batch sizes. */
final class Losses {

    private static final float FOCAL_GAMMA = 2f;

    private Losses() {
    }

    /**
     * The loss the hyperparameters choose for the output kind, with class weights resolved on the training
     * split's class counts.
     */
    static Loss of(OutputKind kind, Hyperparameters h, List<String> labels, long[] counts, NDManager manager) {
        float[] weights = h.classWeights() == null || labels.isEmpty() ? null : h.classWeights().resolve(labels,
                counts);
        LossKind loss = h.loss();
        switch (kind) {
            case SOFTMAX:
                if (weights == null && loss != LossKind.FOCAL) {
                    return of(kind);
                }
                return WeightedLosses.softmax(weights, loss == LossKind.FOCAL ? FOCAL_GAMMA : 0f, manager);
            case SIGMOID:
                return weights == null ? of(kind) : WeightedLosses.sigmoid(weights);
            default:
                if (loss == LossKind.MAE) {
                    return Loss.l1Loss("MeanAbsoluteError", 1f);
                }
                return loss == LossKind.HUBER ? WeightedLosses.huber() : of(kind);
        }
    }

    static Loss of(OutputKind kind) {
        switch (kind) {
            case SOFTMAX:
                return Loss.softmaxCrossEntropyLoss();
            case SIGMOID:
                return Loss.sigmoidBinaryCrossEntropyLoss();
            default:
                // weight 1: the mean squared error (DJL's default L2 loss halves it)
                return Loss.l2Loss("MeanSquaredError", 1f);
        }
    }
}

package io.modelyard.ml.train;

import ai.djl.training.loss.Loss;
import io.modelyard.ml.ModelShape.OutputKind;

/** The loss of each output kind: per-example means, so losses compare across batch sizes. */
final class Losses {

    private Losses() {
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

package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * The losses DJL has no form of: class-weighted softmax cross-entropy with an optional focal term, class-weighted
 * binary cross-entropy, and the Huber loss. Each returns the mean over the batch of the per-example loss, like
 * DJL's own, so losses compare across batch sizes (a weight scales its class's examples; it does not renormalise).
 */
final class WeightedLosses {

    private WeightedLosses() {
    }

    /** -w_y (1 - p_y)^gamma log p_y; gamma 0 is the weighted cross-entropy. */
    static Loss softmax(float[] weights, float gamma, NDManager manager) {
        NDArray w = weights == null ? null : manager.create(weights);
        return new Loss(gamma > 0 ? "FocalLoss" : "WeightedSoftmaxCrossEntropy") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                NDArray logits = predictions.singletonOrThrow();
                int classes = (int) logits.getShape().get(1);
                NDArray oneHot = labels.head().oneHot(classes, DataType.FLOAT32);
                NDArray logP = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1});
                NDArray perExample = logP.neg();
                if (gamma > 0) {
                    perExample = perExample.mul(logP.exp().neg().add(1f).pow(gamma));
                }
                if (w != null) {
                    perExample = perExample.mul(oneHot.mul(w.toDevice(logits.getDevice(), false))
                            .sum(new int[] {1}));
                }
                return perExample.mean();
            }
        };
    }

    /** Binary cross-entropy on one logit (the second label is the positive one), each class weighted. */
    static Loss sigmoid(float[] weights) {
        float negative = weights[0];
        float positive = weights[1];
        return new Loss("WeightedSigmoidBinaryCrossEntropy") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                NDArray logit = predictions.singletonOrThrow().reshape(-1);
                NDArray y = labels.head().reshape(-1);
                // log(sigmoid(z)) = -softplus(-z), log(1 - sigmoid(z)) = -softplus(z)
                NDArray logP = softplus(logit.neg()).neg();
                NDArray logQ = softplus(logit).neg();
                NDArray perExample = y.mul(logP).mul(positive).add(y.neg().add(1f).mul(logQ).mul(negative)).neg();
                return perExample.mean();
            }
        };
    }

    /** 0.5 d² where |d| <= 1, |d| - 0.5 beyond (on standardised targets: one standard deviation). */
    static Loss huber() {
        return new Loss("HuberLoss") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                NDArray d = predictions.singletonOrThrow().reshape(-1).sub(labels.head().reshape(-1)).abs();
                NDArray quadratic = d.minimum(1f);
                return quadratic.square().mul(0.5f).add(d.sub(quadratic)).mean();
            }
        };
    }

    private static NDArray softplus(NDArray x) {
        // log(1 + e^x), stable for large |x|: max(x, 0) + log(1 + e^-|x|)
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}

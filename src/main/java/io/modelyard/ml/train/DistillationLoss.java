package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Knowledge distillation (Hinton et al., 2015): the student's logits at temperature T against the teacher's
 * probabilities softened at the same T (scaled by T² so gradients keep their size), mixed with the cross-entropy
 * against the true labels: {@code alpha · T² · CE(teacher_T, student_T) + (1 - alpha) · CE(label, student)}.
 * Labels: the class indexes, then the teacher's softened probabilities (batch, classes).
 */
final class DistillationLoss extends Loss {

    private final float temperature;
    private final float alpha;

    DistillationLoss(double temperature, double alpha) {
        super("DistillationLoss");
        this.temperature = (float) temperature;
        this.alpha = (float) alpha;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        int classes = (int) logits.getShape().get(1);
        NDArray soft = labels.get(1);
        NDArray softTerm = soft.mul(logits.div(temperature).logSoftmax(1)).sum(new int[] {1}).neg()
                .mul(temperature * temperature);
        NDArray hard = labels.get(0).oneHot(classes, DataType.FLOAT32);
        NDArray hardTerm = hard.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
        return softTerm.mul(alpha).add(hardTerm.mul(1 - alpha)).mean();
    }
}

package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.ModelOutputs;
import io.modelyard.ml.ModelShape.OutputKind;
import io.modelyard.training.evaluation.Evaluation;
import java.util.List;

/** One pass over the validation split with the current weights: loss and the epoch's quality metrics. */
final class Validation {

    /** Validation results; accuracy and F1 for classification, MSE and MAE for regression, else null. */
    record Result(double loss, Double accuracy, Double f1, Double mse, Double mae) {
    }

    private Validation() {
    }

    static Result run(Trainer trainer, Loss loss, EncodedRows rows, Targets targets, PreparedData data,
            List<String> labels, int batchSize) {
        OutputKind kind = data.shape.outputKind();
        int n = rows.size();
        int[] order = EncodedRows.inOrder(n);
        double lossSum = 0;
        int[] predicted = new int[n];
        double[] values = new double[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager manager = trainer.getManager().newSubManager()) {
                NDList output = trainer.evaluate(rows.batch(manager, order, from, to));
                NDArray batchLoss = loss.evaluate(new NDList(targets.batch(manager, order, from, to)), output);
                lossSum += batchLoss.getFloat() * (to - from);
                if (kind == OutputKind.REGRESSION) {
                    double[] batchValues = ModelOutputs.values(output.head(), data.targetMean, data.targetStd);
                    System.arraycopy(batchValues, 0, values, from, batchValues.length);
                } else {
                    int classes = kind == OutputKind.SIGMOID ? 2 : labels.size();
                    int[] best = ModelOutputs.argmax(ModelOutputs.probabilities(output.head(), kind), classes);
                    System.arraycopy(best, 0, predicted, from, best.length);
                }
            }
        }
        double meanLoss = lossSum / n;
        if (kind == OutputKind.REGRESSION) {
            double squared = 0;
            double absolute = 0;
            for (int r = 0; r < n; r++) {
                double actual = targets.valueOf(r) * data.targetStd + data.targetMean;
                squared += (values[r] - actual) * (values[r] - actual);
                absolute += Math.abs(values[r] - actual);
            }
            return new Result(meanLoss, null, null, squared / n, absolute / n);
        }
        int[] actual = new int[n];
        for (int r = 0; r < n; r++) {
            actual[r] = targets.classOf(r);
        }
        Evaluation evaluation = Evaluation.classification(labels, actual, predicted);
        return new Result(meanLoss, evaluation.classification().accuracy(), evaluation.classification().macro().f1(),
                null, null);
    }
}

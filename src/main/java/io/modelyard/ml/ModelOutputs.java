package io.modelyard.ml;

import ai.djl.ndarray.NDArray;
import io.modelyard.ml.ModelShape.OutputKind;

/** Reads the network's raw output the same way in validation, evaluation and serving. */
public final class ModelOutputs {

    private ModelOutputs() {
    }

    /**
     * Class probabilities, row-major (rows × classes). A sigmoid output gives two classes: 1 - p for the first
     * label and p for the second.
     */
    public static float[] probabilities(NDArray output, OutputKind kind) {
        if (kind == OutputKind.SOFTMAX) {
            return output.softmax(1).toFloatArray();
        }
        float[] positive = output.getNDArrayInternal().sigmoid().toFloatArray();
        float[] both = new float[positive.length * 2];
        for (int i = 0; i < positive.length; i++) {
            both[2 * i] = 1 - positive[i];
            both[2 * i + 1] = positive[i];
        }
        return both;
    }

    /** Regression values in the target's units. */
    public static double[] values(NDArray output, double targetMean, double targetStd) {
        float[] standardised = output.toFloatArray();
        double[] values = new double[standardised.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = standardised[i] * targetStd + targetMean;
        }
        return values;
    }

    /** Index of the largest probability in each row. */
    public static int[] argmax(float[] probabilities, int classes) {
        int rows = probabilities.length / classes;
        int[] best = new int[rows];
        for (int r = 0; r < rows; r++) {
            int at = r * classes;
            int b = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[at + c] > probabilities[at + b]) {
                    b = c;
                }
            }
            best[r] = b;
        }
        return best;
    }
}

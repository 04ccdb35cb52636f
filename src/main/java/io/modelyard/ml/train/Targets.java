package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.modelyard.ml.BatchArrays;
import io.modelyard.ml.ModelShape.OutputKind;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingDataException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The labels (class indexes) or standardised regression targets of one split, batched like the inputs. */
final class Targets {

    private final OutputKind kind;
    private final int[] classes;
    private final float[] values;
    /** A teacher's softened probabilities, row-major (rows × labels), for distillation; else null. */
    private final float[] soft;
    private final int labelCount;

    private Targets(OutputKind kind, int[] classes, float[] values, float[] soft, int labelCount) {
        this.kind = kind;
        this.classes = classes;
        this.values = values;
        this.soft = soft;
        this.labelCount = labelCount;
    }

    /** These class targets with a teacher's softened probabilities alongside. */
    Targets withSoft(float[] probabilities, int labels) {
        return new Targets(kind, classes, values, probabilities, labels);
    }

    static Targets classes(OutputKind kind, List<String> labels, List<Example> examples, String labelColumn,
            String split) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] classes = new int[examples.size()];
        for (int r = 0; r < classes.length; r++) {
            Integer c = index.get(examples.get(r).label());
            if (c == null) {
                throw new TrainingDataException("label '" + examples.get(r).label() + "' is not one of " + labels,
                        labelColumn, split, r);
            }
            classes[r] = c;
        }
        return new Targets(kind, classes, null, null, labels.size());
    }

    static Targets regression(List<Example> examples, double mean, double std, String labelColumn, String split) {
        float[] values = new float[examples.size()];
        for (int r = 0; r < values.length; r++) {
            double target = examples.get(r).target();
            if (!Double.isFinite(target)) {
                throw new TrainingDataException("target is missing or not a finite number", labelColumn, split, r);
            }
            values[r] = (float) ((target - mean) / std);
        }
        return new Targets(OutputKind.REGRESSION, null, values, null, 0);
    }

    int size() {
        return classes != null ? classes.length : values.length;
    }

    /** How many rows of each class (classification). */
    long[] classCounts(int labels) {
        long[] counts = new long[labels];
        if (classes != null) {
            for (int c : classes) {
                counts[c]++;
            }
        }
        return counts;
    }

    int classOf(int row) {
        return classes[row];
    }

    /** The standardised target of a regression row. */
    double valueOf(int row) {
        return values[row];
    }

    /** What the training loss reads: the labels, and for distillation the soft targets as a second array. */
    NDList labels(NDManager manager, int[] order, int from, int to) {
        NDArray hard = batch(manager, order, from, to);
        if (soft == null) {
            return new NDList(hard);
        }
        int rows = to - from;
        float[] batch = new float[rows * labelCount];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(soft, order[from + r] * labelCount, batch, r * labelCount, labelCount);
        }
        return new NDList(hard, BatchArrays.of(manager, batch, new Shape(rows, labelCount)));
    }

    /** The label array the loss expects: int64 (batch) for softmax, float (batch, 1) otherwise. */
    NDArray batch(NDManager manager, int[] order, int from, int to) {
        int rows = to - from;
        if (kind == OutputKind.SOFTMAX) {
            long[] batch = new long[rows];
            for (int r = 0; r < rows; r++) {
                batch[r] = classes[order[from + r]];
            }
            return BatchArrays.of(manager, batch, new Shape(rows));
        }
        float[] batch = new float[rows];
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            batch[r] = kind == OutputKind.SIGMOID ? classes[row] : values[row];
        }
        return BatchArrays.of(manager, batch, new Shape(rows, 1));
    }
}

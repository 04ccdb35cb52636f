package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Global magnitude pruning: the smallest {@code sparsity} of all weight-matrix entries (embeddings, linear and
 * convolution weights; not biases) are set to zero and held there by re-applying the mask after every optimizer
 * step, so fine-tuning recovers what it can around them.
 */
final class PruningMask {

    /** The pruned parameters (their arrays are replaced when a checkpoint is loaded, so held by parameter). */
    private final List<Parameter> weights = new ArrayList<>();
    private final List<NDArray> masks = new ArrayList<>();

    private PruningMask() {
    }

    /** Masks of the block's current weights; nothing when {@code sparsity} is 0. */
    static PruningMask of(Block block, double sparsity, NDManager manager) {
        PruningMask mask = new PruningMask();
        if (sparsity <= 0) {
            return mask;
        }
        List<Parameter> parameters = new ArrayList<>();
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (array.getShape().dimension() >= 2) {
                parameters.add(p.getValue());
                total += array.size();
            }
        }
        float[] magnitudes = new float[Math.toIntExact(total)];
        int at = 0;
        for (Parameter parameter : parameters) {
            float[] values = parameter.getArray().toFloatArray();
            for (float v : values) {
                magnitudes[at++] = Math.abs(v);
            }
        }
        Arrays.sort(magnitudes);
        int cut = (int) Math.min(magnitudes.length - 1L, Math.round(sparsity * magnitudes.length));
        float threshold = magnitudes[Math.max(0, cut)];
        for (Parameter parameter : parameters) {
            mask.weights.add(parameter);
            mask.masks.add(parameter.getArray().abs().gt(threshold).toType(DataType.FLOAT32, false));
        }
        mask.masks.forEach(m -> m.attach(manager));
        return mask;
    }

    /** Zeroes the pruned entries again. */
    void apply() {
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).getArray().muli(masks.get(i));
        }
    }

    boolean isEmpty() {
        return weights.isEmpty();
    }
}

package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import io.modelyard.training.engine.OptimizerKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with momentum, Adam and AdamW whose state (momentum buffers, first and second moments, step count) can be
 * saved and restored, which DJL's own optimizers do not allow. The arithmetic is the engine's fused update
 * (the same kernels DJL's {@code Sgd}, {@code Adam} and {@code AdamW} call), so it costs nothing extra; a sparse
 * gradient (a token table's, see {@code TokenEmbedding}), which those kernels refuse, gets the same arithmetic
 * from the engine's separate operations. The learning rate is set from outside before every step by the schedule.
 */
public final class StatefulOptimizer extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final float NO_CLIPPING = -1f;

    private final OptimizerKind kind;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray[]> state = new ConcurrentHashMap<>();
    private volatile float learningRate;
    private volatile long step;

    public StatefulOptimizer(OptimizerKind kind, double momentum, double weightDecay) {
        super(new Defaults());
        this.kind = kind;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
    }

    /** Prepares the update of optimizer step {@code globalStep} (0-based) at rate {@code rate}. */
    public void beginStep(long globalStep, float rate) {
        step = globalStep + 1;
        learningRate = rate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        boolean sparse = grad.getSparseFormat() != SparseFormat.DENSE;
        if (kind == OptimizerKind.SGD) {
            NDArray[] velocity = state.computeIfAbsent(parameterId, id -> new NDArray[] {weight.zerosLike()});
            if (sparse) {
                sparseSgd(weight, grad, velocity[0]);
            } else {
                weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, velocity[0]), new NDList(weight),
                        learningRate, weightDecay, 1f, NO_CLIPPING, momentum, true);
            }
            return;
        }
        NDArray[] moments = state.computeIfAbsent(parameterId,
                id -> new NDArray[] {weight.zerosLike(), weight.zerosLike()});
        double firstCorrection = 1 - Math.pow(BETA1, step);
        double secondCorrection = 1 - Math.pow(BETA2, step);
        float correctedRate = (float) (learningRate * Math.sqrt(secondCorrection) / firstCorrection);
        if (sparse) {
            sparseAdam(weight, grad, moments[0], moments[1], correctedRate);
        } else {
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, moments[0], moments[1]),
                    new NDList(weight), learningRate, correctedRate, weightDecay, 1f, NO_CLIPPING, BETA1, BETA2,
                    EPSILON, true, kind == OptimizerKind.ADAMW);
        }
    }

    /**
     * The engine's fused Adam and AdamW arithmetic for a sparse gradient (a token table's rows), which the fused
     * kernel refuses: the moments decay on every row as in dense Adam, the gradient adds only where it has rows.
     * Seven passes over the table (three more for AdamW's decay), against the fused kernel's eleven on a dense
     * gradient plus the dense gradient's own zeroing and accumulation.
     */
    private void sparseAdam(NDArray weight, NDArray grad, NDArray mean, NDArray variance, float correctedRate) {
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = grad;
            if (kind == OptimizerKind.ADAMW) {
                weight.subi(temporary(scope, weight.mul(learningRate).muli(weightDecay)));
            } else if (weightDecay != 0) {
                g = temporary(scope, weight.mul(weightDecay)).addi(grad);
            }
            mean.muli(BETA1).addi(temporary(scope, g.mul(1 - BETA1)));
            variance.muli(BETA2).addi(temporary(scope, temporary(scope, g.square()).mul(1 - BETA2)));
            NDArray denominator = temporary(scope, variance.sqrt()).addi(EPSILON);
            weight.subi(temporary(scope, mean.mul(correctedRate)).divi(denominator));
        }
        zeroGradient(weight);
    }

    /** The engine's fused SGD (with momentum) arithmetic for a sparse gradient. */
    private void sparseSgd(NDArray weight, NDArray grad, NDArray velocity) {
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = weightDecay != 0 ? temporary(scope, weight.mul(weightDecay)).addi(grad) : grad;
            g = temporary(scope, g.mul(learningRate));
            if (momentum == 0) {
                weight.subi(g);
            } else {
                velocity.muli(momentum).addi(g);
                weight.subi(velocity);
            }
        }
        zeroGradient(weight);
    }

    /** Empties a sparse gradient (no rows) as the fused updates zero theirs, so the next backward starts clean. */
    private static void zeroGradient(NDArray weight) {
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    /** Intermediates follow their first operand's manager (the parameter's): they are closed with the step. */
    private static NDArray temporary(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    /** One parameter's buffers (momentum, or first then second moments), flattened; empty before its first step. */
    float[] stateOf(String parameterId) {
        NDArray[] arrays = state.getOrDefault(parameterId, new NDArray[0]);
        int size = 0;
        for (NDArray array : arrays) {
            size += (int) array.size();
        }
        float[] values = new float[size];
        int offset = 0;
        for (NDArray array : arrays) {
            float[] part = array.toFloatArray();
            System.arraycopy(part, 0, values, offset, part.length);
            offset += part.length;
        }
        return values;
    }

    /**
     * Writes the state, each parameter's buffers under its stable name.
     *
     * @param names parameter id to stable name (ids change from one process to the next, names don't)
     */
    void save(DataOutputStream out, Map<String, String> names) throws IOException {
        Map<String, NDArray[]> byName = new LinkedHashMap<>();
        state.forEach((id, arrays) -> byName.put(names.get(id), arrays));
        out.writeInt(byName.size());
        for (Map.Entry<String, NDArray[]> entry : byName.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeInt(entry.getValue().length);
            for (NDArray array : entry.getValue()) {
                byte[] bytes = array.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Restores what {@link #save} wrote.
     *
     * @param ids stable name to this process's parameter id
     */
    void load(DataInputStream in, Map<String, String> ids, NDManager manager) throws IOException {
        int parameters = in.readInt();
        for (int p = 0; p < parameters; p++) {
            String name = in.readUTF();
            int count = in.readInt();
            List<NDArray> arrays = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays.add(manager.decode(bytes));
            }
            String id = ids.get(name);
            if (id == null) {
                throw new IOException("checkpoint has optimizer state for unknown parameter " + name);
            }
            state.put(id, arrays.toArray(new NDArray[0]));
        }
    }

    private static final class Defaults extends OptimizerBuilder<Defaults> {
        @Override
        protected Defaults self() {
            return this;
        }
    }
}

package io.modelyard.ml.serve;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.modelyard.ml.InputRows;
import io.modelyard.ml.ModelOutputs;
import io.modelyard.ml.ModelShape.OutputKind;

/**
 * Encoded rows in, one forward pass, class probabilities (row-major) or standardised regression values out. The
 * rows are already a batch, so DJL's batchifier is not used.
 */
final class RowsTranslator implements NoBatchifyTranslator<InputRows, float[]> {

    private final OutputKind kind;

    RowsTranslator(OutputKind kind) {
        this.kind = kind;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, InputRows rows) {
        int n = rows.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return rows.batch(ctx.getNDManager(), order, 0, n);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        if (kind == OutputKind.REGRESSION) {
            return list.head().toFloatArray();
        }
        return ModelOutputs.probabilities(list.head(), kind);
    }
}

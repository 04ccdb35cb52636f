package io.modelyard.ml.serve;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.ModelOutputs;
import io.modelyard.ml.ModelShape.OutputKind;

/**
 * Encoded rows in, one forward pass, class probabilities (row-major) or standardised regression values out. The
 * rows are already a batch, so DJL's batchifier is not used.
 */
final class RowsTranslator implements NoBatchifyTranslator<EncodedRows, float[]> {

    private final OutputKind kind;

    RowsTranslator(OutputKind kind) {
        this.kind = kind;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, EncodedRows rows) {
        return rows.batch(ctx.getNDManager(), EncodedRows.inOrder(rows.size()), 0, rows.size());
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        if (kind == OutputKind.REGRESSION) {
            return list.head().toFloatArray();
        }
        return ModelOutputs.probabilities(list.head(), kind);
    }
}

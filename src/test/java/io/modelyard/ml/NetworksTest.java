package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.modelyard.ml.nn.Networks;
import io.modelyard.ml.text.TextEncoding;
import io.modelyard.ml.text.Vocabulary;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NetworksTest extends EngineTests {

    private static final Vocabulary VOCABULARY = Vocabulary.fromCounts(
            Map.of("a", 5, "b", 4, "c", 3, "d", 2, "e", 1), 7);

    /** The networks mask padding, so a text's output must not depend on the longest text of its batch. */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"LINEAR", "BAG_OF_EMBEDDINGS", "TEXT_CNN", "BILSTM",
            "TRANSFORMER", "LSTM_CLASSIC"})
    void outputsDoNotDependOnTheBatchsPadding(Architecture architecture) {
        ModelShape shape = new ModelShape(TaskType.TEXT_CLASSIFICATION, architecture,
                TinySpecs.text(architecture, 1).hyperparameters(), VOCABULARY.size(), 2);
        TextEncoding encoding = TextEncoding.forArchitecture(architecture, VOCABULARY, 12);
        List<String> texts = List.of("a b", "c d e a b c d e a b", "e");
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            Block block = Networks.build(shape);
            block.initialize(manager, DataType.FLOAT32, Networks.initialShapes(shape));
            ParameterStore store = new ParameterStore(manager, false);
            float[] together = forward(block, store, manager, encoding, texts);
            int outputs = shape.outputs();
            assertEquals(texts.size() * outputs, together.length);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = forward(block, store, manager, encoding, List.of(texts.get(i)));
                float[] same = java.util.Arrays.copyOfRange(together, i * outputs, (i + 1) * outputs);
                assertArrayEquals(alone, same, 1e-5f, architecture + " text " + i);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void textCnnPadsShortTextsToItsWidestKernelEvenBeyondTheMaximumLength() {
        Architecture cnn = Architecture.TEXT_CNN;
        ModelShape shape = new ModelShape(TaskType.TEXT_CLASSIFICATION, cnn, TinySpecs.text(cnn, 1).hyperparameters(),
                VOCABULARY.size(), 3);
        TextEncoding encoding = TextEncoding.forArchitecture(cnn, VOCABULARY, 2);
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            Block block = Networks.build(shape);
            block.initialize(manager, DataType.FLOAT32, Networks.initialShapes(shape));
            float[] logits = forward(block, new ParameterStore(manager, false), manager, encoding,
                    List.of("a b c d", "e"));
            assertEquals(6, logits.length);
        }
    }

    private static float[] forward(Block block, ParameterStore store, NDManager manager, TextEncoding encoding,
            List<String> texts) {
        EncodedRows rows = encoding.rows(texts);
        int[] order = EncodedRows.inOrder(rows.size());
        try (NDManager batch = manager.newSubManager()) {
            NDList inputs = rows.batch(batch, order, 0, order.length);
            return block.forward(store, inputs, false).head().toFloatArray();
        }
    }
}

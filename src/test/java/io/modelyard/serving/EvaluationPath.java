package io.modelyard.serving;

import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.FeatureKind;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.Example;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's own evaluation path (what the trainer scored the test split with), and the test rows as inputs:
 * what online, inference-protocol and batch predictions are all held to.
 */
public final class EvaluationPath {

    private EvaluationPath() {
    }

    /** The test split through {@code preprocessing().examples(...)}, {@code run} and {@code decode}. */
    public static List<Prediction> testPredictions(TrainedModels.Trained model) {
        try (DjlLoadedModel loaded = DjlModelRuntime.open(model.artifact(), 1)) {
            float[] outputs = loaded.run(loaded.preprocessing().examples(model.data().test(), "test"));
            return loaded.decode(outputs);
        }
    }

    /** A test row as a /v1 input: the text, or the features with numbers as JSON numbers. */
    public static Object input(TrainedModels.Trained model, Example example) {
        if (model.data().task().isText()) {
            return example.text();
        }
        return features(model.data().features(), example);
    }

    public static Map<String, Object> features(List<FeatureColumn> columns, Example example) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            String cell = example.features().get(c);
            row.put(columns.get(c).name(),
                    columns.get(c).kind() == FeatureKind.NUMERIC ? (Object) Double.parseDouble(cell) : cell);
        }
        return row;
    }
}

package io.modelyard.optimization;

import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times a model artifact the way it will be served: loaded by the serving runtime, one row per request, rows of
 * the validation split in turn. Reports the median of {@code samples} calls after a short warm-up, in
 * milliseconds: a figure to compare models measured on the same worker, not a service-level promise.
 */
final class LatencyProbe {

    private static final int WARM_UP = 5;

    private LatencyProbe() {
    }

    static double medianMillis(ModelRuntime runtime, byte[] artifact, TrainingData data, int samples) {
        List<Example> rows = data.validation().isEmpty() ? data.train() : data.validation();
        try (LoadedModel model = runtime.load(artifact, new LoadOptions(1))) {
            for (int i = 0; i < WARM_UP; i++) {
                model.predict(List.of(input(rows.get(i % rows.size()), data.features())));
            }
            double[] millis = new double[Math.max(1, samples)];
            for (int i = 0; i < millis.length; i++) {
                PredictionInput input = input(rows.get(i % rows.size()), data.features());
                long started = System.nanoTime();
                model.predict(List.of(input));
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            return Math.round(millis[millis.length / 2] * 1000) / 1000.0;
        }
    }

    static PredictionInput input(Example row, List<FeatureColumn> features) {
        if (row.text() != null) {
            return PredictionInput.text(row.text());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int c = 0; c < features.size(); c++) {
            values.put(features.get(c).name(), row.features().get(c));
        }
        return PredictionInput.features(values);
    }
}

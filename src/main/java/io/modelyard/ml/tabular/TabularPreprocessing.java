package io.modelyard.ml.tabular;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.Preprocessing;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Tabular preprocessing: standardisation and one-hot maps fitted on the training split. */
public final class TabularPreprocessing implements Preprocessing {

    public static final String FEATURES_ENTRY = "features.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TabularEncoding encoding;

    public TabularPreprocessing(TabularEncoding encoding) {
        this.encoding = encoding;
    }

    public static TabularPreprocessing read(Map<String, byte[]> entries) throws IOException {
        byte[] bytes = entries.get(FEATURES_ENTRY);
        if (bytes == null) {
            throw new IOException("artifact has no " + FEATURES_ENTRY);
        }
        return new TabularPreprocessing(new TabularEncoding(JSON.readValue(bytes, FeatureStats.class)));
    }

    public TabularEncoding encoding() {
        return encoding;
    }

    @Override
    public EncodedRows examples(List<Example> examples, String split) {
        return encoding.rows(examples, split);
    }

    @Override
    public EncodedRows inputs(List<PredictionInput> inputs) {
        return encoding.inputs(inputs);
    }

    @Override
    public int inputSize() {
        return encoding.width();
    }

    @Override
    public Map<String, byte[]> entries() {
        try {
            return Map.of(FEATURES_ENTRY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(encoding.stats()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write feature statistics", e);
        }
    }

    @Override
    public long fingerprint() {
        return Arrays.hashCode(entries().get(FEATURES_ENTRY));
    }
}

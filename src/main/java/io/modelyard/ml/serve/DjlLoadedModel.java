package io.modelyard.ml.serve;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.ModelOutputs;
import io.modelyard.ml.ModelShape;
import io.modelyard.ml.ModelShape.OutputKind;
import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.artifact.ArtifactManifest;
import io.modelyard.ml.artifact.ArtifactWeights;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.text.TextPreprocessing;
import io.modelyard.ml.vision.ImagePreprocessing;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model artifact loaded for prediction, with its preprocessing and a pool of predictors. */
public final class DjlLoadedModel implements LoadedModel {

    /** Larger requests run as several passes of this many rows, to bound native memory per pass. */
    static final int MAX_ROWS_PER_PASS = 1024;

    private final ArtifactManifest manifest;
    private final Preprocessing preprocessing;
    private final ModelShape shape;
    private final Model model;
    private final PredictorPool pool;
    private final long sizeBytes;

    DjlLoadedModel(ModelArtifact artifact, int predictors) throws IOException, MalformedModelException {
        manifest = artifact.manifest();
        preprocessing = artifact.preprocessing();
        shape = ArtifactWeights.shape(artifact);
        model = Model.newInstance("serving", EngineSetup.device(), EngineSetup.ENGINE_NAME);
        Block block;
        try {
            block = ArtifactWeights.load(artifact, model.getNDManager());
            model.setBlock(block);
            pool = new PredictorPool(model, new RowsTranslator(shape.outputKind()), predictors);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        long bytes = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            bytes += parameter.getValue().getArray().size() * 4;
        }
        for (byte[] entry : preprocessing.entries().values()) {
            bytes += entry.length * 3L;
        }
        sizeBytes = bytes + predictors * 64L * 1024;
    }

    @Override
    public TaskType task() {
        return manifest.task();
    }

    @Override
    public Architecture architecture() {
        return manifest.architecture();
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public String textColumn() {
        return manifest.textColumn();
    }

    @Override
    public List<FeatureColumn> features() {
        return manifest.features() == null ? List.of() : manifest.features();
    }

    @Override
    public List<Prediction> predict(List<PredictionInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            return List.of();
        }
        return decode(run(preprocessing.inputs(inputs)));
    }

    /** The evaluation path: rows encoded by this model's preprocessing, raw outputs back. */
    public float[] run(EncodedRows rows) {
        int n = rows.size();
        if (n <= MAX_ROWS_PER_PASS) {
            return pool.predict(rows);
        }
        int width = shape.outputKind() == OutputKind.REGRESSION ? 1 : manifest.labels().size();
        float[] all = new float[n * width];
        for (int from = 0; from < n; from += MAX_ROWS_PER_PASS) {
            int to = Math.min(n, from + MAX_ROWS_PER_PASS);
            float[] part = pool.predict(new Slice(rows, from, to));
            System.arraycopy(part, 0, all, from * width, part.length);
        }
        return all;
    }

    /** Predictions from raw outputs, in row order. */
    public List<Prediction> decode(float[] outputs) {
        List<Prediction> predictions = new ArrayList<>();
        if (shape.outputKind() == OutputKind.REGRESSION) {
            for (float value : outputs) {
                predictions.add(new Prediction(null, null, value * manifest.targetStd() + manifest.targetMean()));
            }
            return predictions;
        }
        List<String> labels = manifest.labels();
        int classes = labels.size();
        int[] best = ModelOutputs.argmax(outputs, classes);
        for (int r = 0; r < best.length; r++) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            for (int c = 0; c < classes; c++) {
                probabilities.put(labels.get(c), (double) outputs[r * classes + c]);
            }
            predictions.add(new Prediction(labels.get(best[r]), probabilities, null));
        }
        return predictions;
    }

    /** Regression outputs in target units. */
    public double[] values(float[] outputs) {
        double[] values = new double[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            values[i] = outputs[i] * manifest.targetStd() + manifest.targetMean();
        }
        return values;
    }

    /** The preprocessing stored in the artifact. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public Explanation explain(PredictionInput input, int topTokens) {
        if (preprocessing instanceof ImagePreprocessing images) {
            return ImageOcclusion.explain(images.pixels(input, 0), images.inputSize(), images.meanColour(),
                    manifest.labels(), variants -> run(images.rows(variants)));
        }
        if (!(preprocessing instanceof TextPreprocessing)) {
            throw new UnsupportedOperationException("explain is for text and image models; this one is "
                    + manifest.architecture().wireName());
        }
        TextPreprocessing textPreprocessing = (TextPreprocessing) preprocessing;
        OcclusionExplainer explainer = new OcclusionExplainer(textPreprocessing.encoding(),
                manifest.hyperparameters().maxSequenceLength(), manifest.architecture() == Architecture.LSTM_CLASSIC);
        return explainer.explain(input.text(), topTokens, manifest.labels(),
                variants -> run(textPreprocessing.encoding().rowsOfIds(variants)));
    }

    @Override
    public int explanationPasses(PredictionInput input) {
        if (preprocessing instanceof ImagePreprocessing) {
            return ImageOcclusion.GRID * ImageOcclusion.GRID + 1;
        }
        if (!(preprocessing instanceof TextPreprocessing textPreprocessing) || input.text() == null) {
            return 0;
        }
        int tokens = textPreprocessing.encoding().tokenizer().tokenize(input.text()).size();
        return Math.min(tokens, manifest.hyperparameters().maxSequenceLength()) + 1;
    }

    @Override
    public long approximateSizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() {
        pool.close();
        model.close();
    }

    /** A window of rows, for requests larger than one pass. */
    private static final class Slice implements EncodedRows {
        private final EncodedRows rows;
        private final int from;
        private final int to;

        Slice(EncodedRows rows, int from, int to) {
            this.rows = rows;
            this.from = from;
            this.to = to;
        }

        @Override
        public int size() {
            return to - from;
        }

        @Override
        public NDList batch(NDManager manager, int[] order, int start, int end) {
            int[] shifted = new int[end - start];
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] = from + order[start + i];
            }
            return rows.batch(manager, shifted, 0, shifted.length);
        }
    }
}

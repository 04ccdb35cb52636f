package io.modelyard.ml.train;

import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.ModelShape;
import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.tabular.TabularEncoding;
import io.modelyard.ml.tabular.TabularPreprocessing;
import io.modelyard.ml.text.TextPreprocessing;
import io.modelyard.ml.vision.ImagePreprocessing;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingSpec;
import java.io.IOException;
import java.util.List;

/** The data after preprocessing was fitted on the training split: encoded splits and their targets. */
final class PreparedData {

    final Preprocessing preprocessing;
    final ModelShape shape;
    final EncodedRows train;
    final EncodedRows validation;
    final Targets trainTargets;
    final Targets validationTargets;
    final double targetMean;
    final double targetStd;

    private PreparedData(Preprocessing preprocessing, ModelShape shape, EncodedRows train, EncodedRows validation,
            Targets trainTargets, Targets validationTargets, double targetMean, double targetStd) {
        this.preprocessing = preprocessing;
        this.shape = shape;
        this.train = train;
        this.validation = validation;
        this.trainTargets = trainTargets;
        this.validationTargets = validationTargets;
        this.targetMean = targetMean;
        this.targetStd = targetStd;
    }

    static PreparedData prepare(TrainingSpec spec, TrainingData data) {
        return prepare(spec, data, null, Initialization.NONE);
    }

    /**
     * @param source an earlier model whose preprocessing is reused (transfer learning), or null to fit anew
     * @param init   the teacher of a distillation, an imported encoder (its vocabulary tokenizes)
     */
    static PreparedData prepare(TrainingSpec spec, TrainingData data, ModelArtifact source, Initialization init) {
        Initialization.Teacher teacher = init.teacher();
        byte[] encoder = null;
        requireRows(data.train(), "train");
        requireRows(data.validation(), "validation");
        Hyperparameters h = spec.hyperparameters();
        Preprocessing preprocessing;
        EncodedRows fittedTrain = null;
        if (source != null) {
            preprocessing = sourcePreprocessing(spec, source, data);
            encoder = source.entries().get(ModelArtifact.ENCODER_ENTRY);
        } else if (init.encoder() != null) {
            EncoderPackage imported = EncoderPackage.read(init.encoder());
            preprocessing = new TextPreprocessing(io.modelyard.ml.text.TextEncoding.forArchitecture(
                    spec.architecture(), imported.vocabulary(), h.maxSequenceLength()));
            encoder = imported.module();
        } else if (data.task().isImage()) {
            preprocessing = ImagePreprocessing.fit(data.train(), data.images(), h);
        } else if (data.task().isText()) {
            for (int r = 0; r < data.train().size(); r++) {
                if (data.train().get(r).text() == null) {
                    throw new TrainingDataException("text is missing", data.textColumn(), "train", r);
                }
            }
            preprocessing = TextPreprocessing.fit(spec.architecture(), data.train(), h);
        } else {
            if (data.features().isEmpty()) {
                throw new TrainingDataException("a tabular task needs at least one feature column", "features",
                        null, -1);
            }
            TabularEncoding.Fitted fitted = TabularEncoding.fitAndEncode(data.features(), data.train());
            preprocessing = new TabularPreprocessing(fitted.encoding());
            fittedTrain = fitted.train();
        }
        ModelShape shape = new ModelShape(data.task(), spec.architecture(), h, preprocessing.inputSize(),
                data.labelClasses().size(), encoder);
        double mean = 0;
        double std = 1;
        Targets trainTargets;
        Targets validationTargets;
        List<Example> train = Augmenter.augment(data.train(), h);
        if (data.task().isClassification()) {
            trainTargets = Targets.classes(shape.outputKind(), data.labelClasses(), train, data.labelColumn(),
                    "train");
            validationTargets = Targets.classes(shape.outputKind(), data.labelClasses(), data.validation(),
                    data.labelColumn(), "validation");
        } else {
            double[] stats = meanAndStd(data.train());
            mean = stats[0];
            std = stats[1];
            trainTargets = Targets.regression(data.train(), mean, std, data.labelColumn(), "train");
            validationTargets = Targets.regression(data.validation(), mean, std, data.labelColumn(), "validation");
        }
        if (teacher != null) {
            trainTargets = trainTargets.withSoft(TeacherTargets.softened(teacher, data, train),
                    data.labelClasses().size());
        }
        // tabular rows were encoded as the statistics were fitted (augmentation leaves tabular rows as they are)
        EncodedRows trainRows = fittedTrain != null && train == data.train() ? fittedTrain
                : preprocessing.examples(train, "train");
        return new PreparedData(preprocessing, shape, trainRows,
                preprocessing.examples(data.validation(), "validation"), trainTargets, validationTargets, mean, std);
    }

    /** The source model's fitted preprocessing, read for this spec's architecture and sequence length. */
    private static Preprocessing sourcePreprocessing(TrainingSpec spec, ModelArtifact source, TrainingData data) {
        try {
            if (spec.task().isImage()) {
                return ImagePreprocessing.read(spec.hyperparameters(), source.entries(), data.images(),
                        io.modelyard.image.ImageDecoder.DEFAULT_MAX_PIXELS);
            }
            if (spec.task().isText()) {
                return TextPreprocessing.read(spec.architecture(), spec.hyperparameters(), source.entries());
            }
            return TabularPreprocessing.read(source.entries());
        } catch (IOException e) {
            throw new TrainingDataException("the source model's preprocessing is unreadable: " + e.getMessage(),
                    null, null, -1);
        }
    }

    private static void requireRows(List<Example> split, String name) {
        if (split.isEmpty()) {
            throw new TrainingDataException("the " + name + " split is empty", null, name, -1);
        }
    }

    private static double[] meanAndStd(List<Example> train) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (Example example : train) {
            if (Double.isFinite(example.target())) {
                sum += example.target();
                squares += example.target() * example.target();
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double std = Math.sqrt(Math.max(0, n == 0 ? 0 : squares / n - mean * mean));
        return new double[] {mean, std < 1e-12 ? 1.0 : std};
    }
}

package io.modelyard.ml.train;

import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.evaluation.Evaluation;
import io.modelyard.training.evaluation.Mistake;
import java.util.ArrayList;
import java.util.List;

/** Scores the test split through the serving path: the artifact loaded as serving loads it. */
public final class TestEvaluation {

    /** How many of the most confident mistakes an image model's evaluation keeps (a gallery's worth). */
    static final int MISTAKES_KEPT = 24;

    private TestEvaluation() {
    }

    public static Evaluation evaluate(byte[] artifact, TrainingData data) {
        try (var model = DjlModelRuntime.open(artifact, 1)) {
            Preprocessing preprocessing = data.task().isImage()
                    ? ModelArtifact.read(artifact).preprocessing(data.images()) : model.preprocessing();
            float[] outputs = model.run(preprocessing.examples(data.test(), "test"));
            if (!data.task().isClassification()) {
                double[] actual = data.test().stream().mapToDouble(e -> e.target()).toArray();
                return Evaluation.regression(actual, model.values(outputs));
            }
            List<String> actual = new ArrayList<>(data.test().size());
            List<String> predicted = new ArrayList<>(data.test().size());
            List<Prediction> decoded = model.decode(outputs);
            decoded.forEach(p -> predicted.add(p.label()));
            data.test().forEach(e -> actual.add(e.label()));
            for (int r = 0; r < actual.size(); r++) {
                if (!data.labelClasses().contains(actual.get(r))) {
                    throw new TrainingDataException("label '" + actual.get(r)
                            + "' is not one of " + data.labelClasses(), data.labelColumn(), "test", r);
                }
            }
            Evaluation evaluation = Evaluation.classification(data.labelClasses(), actual, predicted);
            if (!data.task().isImage()) {
                return evaluation;
            }
            double[] confidence = decoded.stream().mapToDouble(Prediction::confidence).toArray();
            List<String> imageIds = data.test().stream().map(Example::text).toList();
            return new Evaluation(evaluation.classification().withMistakes(Mistake.mostConfident(actual, predicted,
                    confidence, imageIds, MISTAKES_KEPT)), null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the artifact just written is unreadable", e);
        }
    }
}

package io.modelyard.ml.train;

import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.evaluation.Evaluation;
import java.util.ArrayList;
import java.util.List;

/** Scores the test split through the serving path: the artifact loaded as serving loads it. */
public final class TestEvaluation {

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
            model.decode(outputs).forEach(p -> predicted.add(p.label()));
            data.test().forEach(e -> actual.add(e.label()));
            for (int r = 0; r < actual.size(); r++) {
                if (!data.labelClasses().contains(actual.get(r))) {
                    throw new TrainingDataException("label '" + actual.get(r)
                            + "' is not one of " + data.labelClasses(), data.labelColumn(), "test", r);
                }
            }
            return Evaluation.classification(data.labelClasses(), actual, predicted);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the artifact just written is unreadable", e);
        }
    }
}

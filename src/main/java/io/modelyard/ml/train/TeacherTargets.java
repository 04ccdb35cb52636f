package io.modelyard.ml.train;

import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import java.util.List;

/**
 * A teacher's probabilities for the training split, softened at temperature T: softmax(z / T) equals p^(1/T)
 * normalised, so the served probabilities are enough (no logits needed). Classes are mapped by name to the
 * student's order.
 */
final class TeacherTargets {

    private TeacherTargets() {
    }

    static float[] softened(Initialization.Teacher teacher, TrainingData data, List<Example> train) {
        List<String> labels = data.labelClasses();
        try (DjlLoadedModel model = DjlModelRuntime.open(teacher.artifact(), 1)) {
            List<String> teacherLabels = model.labels();
            int[] column = new int[labels.size()];
            for (int c = 0; c < labels.size(); c++) {
                column[c] = teacherLabels.indexOf(labels.get(c));
                if (column[c] < 0 || teacherLabels.size() != labels.size()) {
                    throw new TrainingDataException("the teacher predicts " + teacherLabels + ", the data has "
                            + labels, data.labelColumn(), "train", -1);
                }
            }
            float[] probabilities = model.run(model.preprocessing().examples(train, "train"));
            int rows = train.size();
            int k = teacherLabels.size();
            float[] soft = new float[rows * labels.size()];
            double inverse = 1.0 / teacher.temperature();
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < labels.size(); c++) {
                    double p = Math.pow(Math.max(probabilities[r * k + column[c]], 1e-12), inverse);
                    soft[r * labels.size() + c] = (float) p;
                    sum += p;
                }
                for (int c = 0; c < labels.size(); c++) {
                    soft[r * labels.size() + c] /= (float) sum;
                }
            }
            return soft;
        }
    }
}

package io.modelyard.optimization;

import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.model.SourceModel;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.TrainingRuns;
import java.util.List;

/** The checks compression and distillation make on the model they start from and the data they use. */
final class SourceChecks {

    private SourceChecks() {
    }

    /** 422 {@code task-mismatch} unless the model is a classifier (the guard and the soft targets need classes). */
    static TaskType classifier(SourceModel source, String field) {
        TaskType task = source.model().task();
        if (!task.isClassification()) {
            throw ProblemException.unprocessable("task-mismatch", "Model " + source.model().id() + " is a "
                    + task.wireName() + " model; only classifiers can be " + (field.equals("model_id")
                            ? "compressed (the guard is the test macro F1)" : "distilled")
                    + ".").with("errors", List.of(new FieldError(field, "must be a classification model")));
        }
        return task;
    }

    /** The dataset version to use: the given one (same task and classes as the model) or the model's own. */
    static TrainingRuns.DatasetShape dataset(TrainingRuns runs, SourceModel source, String versionId) {
        String id = versionId != null ? versionId : source.model().datasetVersionId();
        TrainingRuns.DatasetShape dataset = runs.describe(id);
        TaskType task = source.model().task();
        if (dataset.task() != task) {
            throw ProblemException.unprocessable("task-mismatch", "Dataset version " + id + " is for "
                    + dataset.task().wireName() + "; model " + source.model().id() + " is a "
                    + task.wireName() + " model.").with("errors", List.of(new FieldError(
                            "dataset_version_id", "must be a " + task.wireName() + " dataset version")));
        }
        if (!dataset.labels().equals(source.model().labels())) {
            throw ProblemException.unprocessable("labels-mismatch", "Dataset version " + id + " has the classes "
                    + dataset.labels() + "; model " + source.model().id() + " predicts " + source.model().labels()
                    + ".").with("errors", List.of(new FieldError("dataset_version_id",
                            "must have the model's classes")));
        }
        return dataset;
    }

    static String name(String requested, String suffix, String base, String defaultSuffix) {
        if (requested != null) {
            return requested;
        }
        String name = base + "-" + (suffix == null ? defaultSuffix : suffix);
        return name.length() > 63 ? name.substring(0, 63) : name;
    }
}

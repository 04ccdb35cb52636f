package io.modelyard.serving;

import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * What a model reads and answers, as its artifact says.
 *
 * @param textColumn the text column of a text model, else null
 * @param features   the feature columns of a tabular model in the model's order, else empty
 * @param labels     the classes in output order (empty for regression)
 */
public record ModelSignature(TaskType task, String textColumn, List<FeatureColumn> features, List<String> labels) {
}

package io.modelyard.portal.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.modelyard.model.ModelCard;
import io.modelyard.model.ModelView;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.evaluation.ClassificationEvaluation;
import io.modelyard.training.evaluation.ConfusionMatrix;
import io.modelyard.training.evaluation.Evaluation;
import io.modelyard.training.evaluation.Mistake;
import io.modelyard.training.evaluation.RegressionEvaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * A model as its page shows it: the evaluation read back into the training package's records, the confusion
 * matrix as rows of shaded cells, the model card, and what the "try it" box needs.
 */
public record ModelReport(ModelView model, ClassificationEvaluation classification, RegressionEvaluation regression,
        List<HeatRow> confusion, ModelCard card, List<String> features, String example, boolean text, boolean image,
        List<Mistake> mistakes) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One row of the confusion matrix: the true label and its cells. */
    public record HeatRow(String label, List<HeatCell> cells) {
    }

    /**
     * One cell: its count, and a shade 0–9 from its share of the row (recall along the diagonal), so that a
     * weak class stands out whatever the class sizes.
     */
    public record HeatCell(long count, int shade, boolean diagonal, String predicted) {
    }

    static ModelReport of(ModelView model, ModelCard card, List<String> features) {
        Evaluation evaluation = model.evaluation() == null || model.evaluation().isEmpty() ? null
                : JSON.convertValue(model.evaluation(), Evaluation.class);
        ClassificationEvaluation classification = evaluation == null ? null : evaluation.classification();
        boolean text = model.task() == TaskType.TEXT_CLASSIFICATION;
        boolean image = model.task() == TaskType.IMAGE_CLASSIFICATION;
        return new ModelReport(model, classification, evaluation == null ? null : evaluation.regression(),
                classification == null ? List.of() : heat(classification.confusionMatrix()), card, features,
                text ? "Great service, fast delivery" : example(features), text, image,
                classification == null || classification.mistakes() == null ? List.of() : classification.mistakes());
    }

    private static List<HeatRow> heat(ConfusionMatrix matrix) {
        if (matrix == null) {
            return List.of();
        }
        List<HeatRow> rows = new ArrayList<>();
        for (int i = 0; i < matrix.labels().size(); i++) {
            long[] counts = matrix.counts()[i];
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            List<HeatCell> cells = new ArrayList<>();
            for (int j = 0; j < counts.length; j++) {
                int shade = total == 0 ? 0 : (int) Math.min(9, Math.ceil(9.0 * counts[j] / total));
                cells.add(new HeatCell(counts[j], shade, i == j, matrix.labels().get(j)));
            }
            rows.add(new HeatRow(matrix.labels().get(i), cells));
        }
        return rows;
    }

    private static String example(List<String> features) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < features.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(features.get(i).replace("\"", "\\\"")).append("\": ");
            json.append("null");
        }
        return json.append('}').toString();
    }

    /** The feature columns of a tabular model, from its dataset version's schema. */
    static List<String> featuresOf(JsonNode schema) {
        List<String> features = new ArrayList<>();
        for (JsonNode column : schema.path("columns")) {
            if ("feature".equals(column.path("role").asText())) {
                features.add(column.path("name").asText());
            }
        }
        return features;
    }
}

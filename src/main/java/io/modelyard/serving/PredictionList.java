package io.modelyard.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.Prediction;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /v1/models/{id_or_alias}/predict}: one prediction per input, in input order.
 *
 * @param id    the prediction's id ({@code prd_...}), as recorded in the usage ledger
 * @param usage what this request counted against the plan
 */
public record PredictionList(String id, String object, String modelId, String modelName, int modelVersion,
        TaskType task, List<Item> data, Usage usage) {

    /**
     * One input's answer.
     *
     * @param probabilities every class's probability, in the model's label order (classification without top_k)
     * @param topK          the top_k most probable classes, most probable first (classification with top_k)
     * @param value         the predicted number (regression)
     * @param explanation   the tokens that moved the prediction most (text models, explain=true)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String label, Map<String, Float> probabilities, List<ClassProbability> topK,
            Double value, Explanation explanation) {
    }

    public record ClassProbability(String label, float probability) {
    }

    /** @param predictions what the request counted: one per input, plus the model passes of explanations */
    public record Usage(int predictions) {
    }

    /** One input's answer as this API shows it: all probabilities, or the top k, or the value. */
    public static Item item(int index, Prediction p, Integer topK, Explanation explanation) {
        if (p.value() != null) {
            return new Item(index, null, null, null, p.value(), null);
        }
        if (topK == null) {
            Map<String, Float> probabilities = new LinkedHashMap<>();
            p.probabilities().forEach((label, value) -> probabilities.put(label, value.floatValue()));
            return new Item(index, p.label(), probabilities, null, null, explanation);
        }
        List<ClassProbability> top = p.probabilities().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(topK)
                .map(e -> new ClassProbability(e.getKey(), e.getValue().floatValue()))
                .toList();
        return new Item(index, p.label(), null, top, null, explanation);
    }
}

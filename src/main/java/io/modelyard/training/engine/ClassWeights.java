package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each class's examples count in the loss, for imbalanced labels: {@code "balanced"} (each class
 * weighs n / (classes × n_class) on the training split, as scikit-learn's) or an object of label to weight
 * (labels left out weigh 1). On the wire: the string, or the object.
 *
 * @param balanced whether the weights follow the training split's class counts
 * @param weights  explicit weights by label (empty when balanced)
 */
public record ClassWeights(boolean balanced, Map<String, Double> weights) {

    public static final ClassWeights BALANCED = new ClassWeights(true, Map.of());

    public ClassWeights {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }

    @JsonCreator
    public static ClassWeights fromWire(Object value) {
        if ("balanced".equals(value)) {
            return BALANCED;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Double> weights = new LinkedHashMap<>();
            map.forEach((label, weight) -> {
                if (!(weight instanceof Number number)) {
                    throw new IllegalArgumentException("class weights are numbers, not '" + weight + "'");
                }
                weights.put(String.valueOf(label), number.doubleValue());
            });
            return new ClassWeights(false, weights);
        }
        throw new IllegalArgumentException("'" + value + "' is not one of: balanced, or an object of label to weight");
    }

    @JsonValue
    public Object wireValue() {
        return balanced ? "balanced" : new LinkedHashMap<>(weights);
    }

    /** One weight per class, in {@code labels}' order, given the training split's count of each. */
    public float[] resolve(List<String> labels, long[] counts) {
        float[] w = new float[labels.size()];
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = balanced ? (counts[i] == 0 ? 1f : (float) total / (labels.size() * counts[i]))
                    : weights.getOrDefault(labels.get(i), 1.0).floatValue();
        }
        return w;
    }
}

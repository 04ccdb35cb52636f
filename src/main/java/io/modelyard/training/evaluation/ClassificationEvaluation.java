package io.modelyard.training.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of class predictions. For single-label data micro-averaged precision, recall and F1 all equal the
 * accuracy; they are given for completeness. {@code weighted} averages the classes by support. {@code mistakes},
 * the most confident wrong answers, is kept for image models' test splits only (null otherwise): an image id
 * points into the tenant's gallery, whereas a text or a record copied here would outlive its dataset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationEvaluation(
        double accuracy,
        List<ClassMetrics> perClass,
        AveragedMetrics macro,
        AveragedMetrics micro,
        AveragedMetrics weighted,
        long support,
        ConfusionMatrix confusionMatrix,
        List<Mistake> mistakes) {

    static ClassificationEvaluation of(List<String> labels, List<String> actual, List<String> predicted) {
        if (actual.size() != predicted.size()) {
            throw new IllegalArgumentException("actual has " + actual.size() + " labels, predicted "
                    + predicted.size());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] a = new int[actual.size()];
        int[] p = new int[predicted.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = indexOf(index, actual.get(i));
            p[i] = indexOf(index, predicted.get(i));
        }
        return of(labels, a, p);
    }

    private static int indexOf(Map<String, Integer> index, String label) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException("label '" + label + "' is not one of the classes " + index.keySet());
        }
        return i;
    }

    static ClassificationEvaluation of(List<String> labels, int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " labels, predicted "
                    + predicted.length);
        }
        int k = labels.size();
        long[][] counts = new long[k][k];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
        long n = actual.length;
        long correct = 0;
        List<ClassMetrics> perClass = new ArrayList<>(k);
        double macroP = 0;
        double macroR = 0;
        double macroF = 0;
        double weightedP = 0;
        double weightedR = 0;
        double weightedF = 0;
        for (int c = 0; c < k; c++) {
            long tp = counts[c][c];
            long support = 0;
            long predictedAs = 0;
            for (int j = 0; j < k; j++) {
                support += counts[c][j];
                predictedAs += counts[j][c];
            }
            correct += tp;
            double precision = ratio(tp, predictedAs);
            double recall = ratio(tp, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(labels.get(c), precision, recall, f1, support));
            macroP += precision;
            macroR += recall;
            macroF += f1;
            weightedP += precision * support;
            weightedR += recall * support;
            weightedF += f1 * support;
        }
        double accuracy = ratio(correct, n);
        AveragedMetrics macro = k == 0 ? new AveragedMetrics(0, 0, 0)
                : new AveragedMetrics(macroP / k, macroR / k, macroF / k);
        AveragedMetrics weighted = n == 0 ? new AveragedMetrics(0, 0, 0)
                : new AveragedMetrics(weightedP / n, weightedR / n, weightedF / n);
        AveragedMetrics micro = new AveragedMetrics(accuracy, accuracy, accuracy);
        return new ClassificationEvaluation(accuracy, List.copyOf(perClass), macro, micro, weighted, n,
                new ConfusionMatrix(List.copyOf(labels), counts), null);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    /** The same scores with the most confident mistakes. */
    public ClassificationEvaluation withMistakes(List<Mistake> found) {
        return new ClassificationEvaluation(accuracy, perClass, macro, micro, weighted, support, confusionMatrix,
                List.copyOf(found));
    }

    /** The scores of one class. */
    public ClassMetrics forClass(String label) {
        return perClass.stream().filter(m -> m.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no class " + label));
    }
}

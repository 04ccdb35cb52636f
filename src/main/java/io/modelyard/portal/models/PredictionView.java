package io.modelyard.portal.models;

import io.modelyard.serving.PredictionList;
import io.modelyard.serving.engine.TokenAttribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A "try it" answer: per input, the label, the class probabilities as bars, and the tokens that decided it. */
public record PredictionView(String modelName, int modelVersion, List<Row> rows) {

    /** One input's answer. */
    public record Row(int index, String input, String label, Double value, List<Bar> probabilities,
            List<Token> tokens) {
    }

    /** A class and its probability (0–1). */
    public record Bar(String label, double probability) {
    }

    /**
     * A token shaded by its attribution: -3 (spoke strongly against the predicted class) to 3 (strongly for it),
     * relative to the strongest token of the text.
     */
    public record Token(String text, double attribution, int shade) {
    }

    static PredictionView of(PredictionList answer, List<String> inputs) {
        List<Row> rows = new ArrayList<>();
        for (PredictionList.Item item : answer.data()) {
            List<Bar> bars = new ArrayList<>();
            if (item.probabilities() != null) {
                item.probabilities().forEach((label, p) -> bars.add(new Bar(label, p)));
            }
            if (item.topK() != null) {
                item.topK().forEach(c -> bars.add(new Bar(c.label(), c.probability())));
            }
            bars.sort(Comparator.comparingDouble(Bar::probability).reversed());
            String input = inputs.get(item.index());
            rows.add(new Row(item.index(), input, item.label(), item.value(), bars,
                    item.explanation() == null ? List.of() : highlighted(input, item.explanation().tokens())));
        }
        return new PredictionView(answer.modelName(), answer.modelVersion(), rows);
    }

    /**
     * The input's words, each shaded by the attribution of the token it reads as (the tokenizer lowercases and
     * keeps letters, digits and inner apostrophes; words it never listed stay unshaded).
     */
    private static List<Token> highlighted(String input, List<TokenAttribution> attributions) {
        Map<String, Double> byToken = new HashMap<>();
        for (TokenAttribution a : attributions) {
            byToken.merge(a.token(), a.attribution(), (x, y) -> Math.abs(x) >= Math.abs(y) ? x : y);
        }
        double strongest = byToken.values().stream().mapToDouble(Math::abs).max().orElse(0);
        List<Token> words = new ArrayList<>();
        for (String word : input.strip().split("\\s+")) {
            String key = word.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}']", "");
            double attribution = byToken.getOrDefault(key, 0.0);
            int shade = strongest == 0 ? 0 : (int) Math.round(3 * attribution / strongest);
            words.add(new Token(word, attribution, shade));
        }
        return words;
    }
}

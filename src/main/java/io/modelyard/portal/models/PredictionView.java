package io.modelyard.portal.models;

import io.modelyard.image.ImageFormat;
import io.modelyard.serving.PredictionList;
import io.modelyard.serving.engine.TokenAttribution;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A "try it" answer: per input, the label, the class probabilities as bars, and what decided it — the tokens of
 * a text, or for an image its occlusion map, drawn over the picture.
 */
public record PredictionView(String modelName, int modelVersion, List<Row> rows) {

    /**
     * One input's answer.
     *
     * @param imageUrl  an image input as a {@code data:} URL (the page shows what was sent), else null
     * @param occlusion an image's occlusion cells, rows from the top left, else empty
     */
    public record Row(int index, String input, String label, Double value, List<Bar> probabilities,
            List<Token> tokens, String imageUrl, List<Cell> occlusion, int occlusionColumns) {
    }

    /**
     * A cell of the occlusion map: how much covering it lowered the predicted class's probability, and a shade
     * 0–5 relative to the cell that mattered most (cells whose cover raised it stay unshaded).
     */
    public record Cell(double drop, int shade) {
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
            List<Bar> bars = bars(item);
            String input = inputs.get(item.index());
            rows.add(new Row(item.index(), input, item.label(), item.value(), bars,
                    item.explanation() == null ? List.of() : highlighted(input, item.explanation().tokens()), null,
                    List.of(), 0));
        }
        return new PredictionView(answer.modelName(), answer.modelVersion(), rows);
    }

    /** An answer for image inputs ({@code {"image": base64}} nodes, in order). */
    static PredictionView ofImages(PredictionList answer, List<byte[]> images) {
        List<Row> rows = new ArrayList<>();
        for (PredictionList.Item item : answer.data()) {
            List<Bar> bars = bars(item);
            byte[] image = images.get(item.index());
            String base64 = Base64.getEncoder().encodeToString(image);
            String mediaType = ImageFormat.sniff(image).map(f -> "image/" + f.id()).orElse("application/octet-stream");
            List<List<Double>> grid = item.explanation() == null ? null : item.explanation().occlusion();
            rows.add(new Row(item.index(), "image " + (item.index() + 1), item.label(), item.value(), bars, List.of(),
                    "data:" + mediaType + ";base64," + base64, cells(grid), grid == null ? 0 : grid.get(0).size()));
        }
        return new PredictionView(answer.modelName(), answer.modelVersion(), rows);
    }

    private static List<Cell> cells(List<List<Double>> grid) {
        if (grid == null) {
            return List.of();
        }
        double strongest = grid.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(0);
        List<Cell> cells = new ArrayList<>();
        for (List<Double> row : grid) {
            for (double drop : row) {
                int shade = strongest <= 0 || drop <= 0 ? 0 : (int) Math.round(5 * drop / strongest);
                cells.add(new Cell(drop, shade));
            }
        }
        return cells;
    }

    private static List<Bar> bars(PredictionList.Item item) {
        List<Bar> bars = new ArrayList<>();
        if (item.probabilities() != null) {
            item.probabilities().forEach((label, p) -> bars.add(new Bar(label, p)));
        }
        if (item.topK() != null) {
            item.topK().forEach(c -> bars.add(new Bar(c.label(), c.probability())));
        }
        bars.sort(Comparator.comparingDouble(Bar::probability).reversed());
        return bars;
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

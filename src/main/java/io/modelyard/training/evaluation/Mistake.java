package io.modelyard.training.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A test example the model got wrong, with how sure it was: the most confident of these show a tenant what the
 * model has learnt wrongly (a mislabelled class, a shortcut) better than any average does.
 *
 * @param row        the example's place in the test split
 * @param imageId    the image's id for an image model (its thumbnail is in the dataset version's gallery), else null
 * @param confidence the probability the model gave its wrong answer
 */
public record Mistake(int row, String imageId, String actual, String predicted, double confidence) {

    /**
     * The {@code limit} most confident wrong answers, most confident first (ties by row).
     *
     * @param imageIds the test split's image ids by row, or null for a model that reads no images
     */
    public static List<Mistake> mostConfident(List<String> actual, List<String> predicted, double[] confidence,
            List<String> imageIds, int limit) {
        List<Mistake> mistakes = new ArrayList<>();
        for (int row = 0; row < actual.size(); row++) {
            if (!actual.get(row).equals(predicted.get(row))) {
                mistakes.add(new Mistake(row, imageIds == null ? null : imageIds.get(row), actual.get(row),
                        predicted.get(row), confidence[row]));
            }
        }
        mistakes.sort(Comparator.comparingDouble(Mistake::confidence).reversed().thenComparingInt(Mistake::row));
        return List.copyOf(mistakes.subList(0, Math.min(limit, mistakes.size())));
    }
}

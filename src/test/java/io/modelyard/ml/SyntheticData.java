package io.modelyard.ml;

import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Generated datasets with a known answer, so tests need no download. */
public final class SyntheticData {

    public static final List<String> TOPICS = List.of("sport", "politics", "science");
    /** Each topic's give-away words; every text holds exactly one of them. */
    public static final List<List<String>> TOPIC_WORDS = List.of(
            List.of("football", "tennis"), List.of("election", "senate"), List.of("physics", "chemistry"));
    private static final List<String> FILLER = List.of("the", "a", "today", "people", "said", "new", "big",
            "report", "about", "week", "many", "city", "again", "some", "very", "good", "time", "year", "news",
            "local", "world", "after", "before", "during", "while", "small", "old", "great", "long", "first");

    private SyntheticData() {
    }

    /** Topic texts: filler words plus one topic word at a random place. */
    public static TrainingData topics(int train, int validation, int test, long seed) {
        Random random = new Random(seed);
        return TrainingData.text("text", "topic", TOPICS, topicExamples(train, random), topicExamples(validation,
                random), topicExamples(test, random));
    }

    /** Two classes for lstm_classic: "great" words versus "awful" words. */
    public static TrainingData sentiment(int train, int validation, int test, long seed) {
        Random random = new Random(seed);
        List<String> labels = List.of("negative", "positive");
        List<List<String>> words = List.of(List.of("awful", "terrible"), List.of("wonderful", "excellent"));
        return TrainingData.text("review", "sentiment", labels, textExamples(train, random, labels, words),
                textExamples(validation, random, labels, words), textExamples(test, random, labels, words));
    }

    /** The same texts with labels shuffled across rows: nothing to learn. */
    public static TrainingData shuffledTopics(int train, int validation, int test, long seed) {
        TrainingData data = topics(train, validation, test, seed);
        Random random = new Random(seed + 1);
        return TrainingData.text("text", "topic", TOPICS, shuffled(data.train(), random),
                shuffled(data.validation(), random), shuffled(data.test(), random));
    }

    private static List<Example> shuffled(List<Example> examples, Random random) {
        List<String> labels = new ArrayList<>();
        examples.forEach(e -> labels.add(e.label()));
        Collections.shuffle(labels, random);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            out.add(Example.text(examples.get(i).text(), labels.get(i)));
        }
        return out;
    }

    private static List<Example> topicExamples(int n, Random random) {
        return textExamples(n, random, TOPICS, TOPIC_WORDS);
    }

    private static List<Example> textExamples(int n, Random random, List<String> labels, List<List<String>> words) {
        List<Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(labels.size());
            examples.add(Example.text(sentence(random, words.get(label)), labels.get(label)));
        }
        return examples;
    }

    /** A sentence of 4 to 11 filler words with one of {@code keys} somewhere in it. */
    public static String sentence(Random random, List<String> keys) {
        int length = 4 + random.nextInt(8);
        int at = random.nextInt(length + 1);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w <= length; w++) {
            String word = w == at ? keys.get(random.nextInt(keys.size())) : FILLER.get(random.nextInt(FILLER.size()));
            text.append(w == 0 ? capitalise(word) : word).append(w == length ? "." : " ");
        }
        return text.toString();
    }

    private static String capitalise(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    public static final List<FeatureColumn> FEATURES = List.of(FeatureColumn.numeric("income"),
            FeatureColumn.numeric("debt"), FeatureColumn.categorical("region"));

    /** Credit risk: "risky" when debt exceeds half the income, with a clear margin; region is noise. */
    public static TrainingData credit(int train, int validation, int test, long seed) {
        Random random = new Random(seed);
        return TrainingData.tabular(TaskType.TABULAR_CLASSIFICATION, FEATURES, "risk", List.of("safe", "risky"),
                creditRows(train, random), creditRows(validation, random), creditRows(test, random));
    }

    private static List<Example> creditRows(int n, Random random) {
        List<Example> rows = new ArrayList<>(n);
        while (rows.size() < n) {
            double income = 20_000 + random.nextDouble() * 80_000;
            double debt = random.nextDouble() * 60_000;
            double margin = debt - income / 2;
            if (Math.abs(margin) < 3_000) {
                continue;
            }
            rows.add(Example.tabular(List.of(fmt(income), fmt(debt), region(random)), margin > 0 ? "risky" : "safe"));
        }
        return rows;
    }

    /** House prices: 3 * size - 20 * age + 50 per region step, plus a little noise. */
    public static TrainingData prices(int train, int validation, int test, long seed) {
        Random random = new Random(seed);
        List<FeatureColumn> features = List.of(FeatureColumn.numeric("size"), FeatureColumn.numeric("age"),
                FeatureColumn.categorical("region"));
        return TrainingData.tabular(TaskType.TABULAR_REGRESSION, features, "price", List.of(),
                priceRows(train, random), priceRows(validation, random), priceRows(test, random));
    }

    private static List<Example> priceRows(int n, Random random) {
        List<Example> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double size = 40 + random.nextDouble() * 160;
            double age = random.nextDouble() * 50;
            String region = region(random);
            double price = 3 * size - 20 * age + 50 * (region.charAt(0) - 'n') + random.nextGaussian() * 5;
            rows.add(Example.regression(List.of(fmt(size), fmt(age), region), price));
        }
        return rows;
    }

    private static String region(Random random) {
        return List.of("north", "south", "east", "west").get(random.nextInt(4));
    }

    private static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}

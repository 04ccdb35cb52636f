package io.modelyard.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Datasets generated for tests, as the CSV a tenant would upload: no downloads, and we know the truth. A
 * "separable" set can be learnt perfectly; a "shuffled" one has its labels permuted, so anything above chance
 * would mean the model saw test rows (leakage between splits).
 */
public final class GeneratedData {

    public static final List<String> TOPICS = List.of("sport", "politics", "science");
    private static final List<List<String>> TOPIC_WORDS = List.of(
            List.of("goal", "match", "league", "coach", "striker", "tennis"),
            List.of("election", "senate", "minister", "vote", "policy", "parliament"),
            List.of("physics", "laboratory", "experiment", "atom", "genome", "telescope"));
    private static final List<String> FILLER = List.of("the", "a", "today", "people", "said", "new", "big",
            "after", "report", "news", "week", "many", "small", "again", "city", "later");

    private GeneratedData() {
    }

    /** {@code text,label}: each text has two words of its topic among filler. */
    public static String topics(int rows, long seed) {
        return topicRows(rows, seed, false);
    }

    /** Like {@link #topics} but with the labels shuffled across rows. */
    public static String shuffledTopics(int rows, long seed) {
        return topicRows(rows, seed, true);
    }

    /** {@code review,sentiment}: binary, for {@code lstm_classic}. */
    public static String sentiment(int rows, long seed) {
        Random random = new Random(seed);
        List<List<String>> words = List.of(List.of("great", "love", "excellent", "wonderful", "perfect"),
                List.of("awful", "hate", "terrible", "broken", "refund"));
        StringBuilder csv = new StringBuilder("review,sentiment\n");
        for (int i = 0; i < rows; i++) {
            int label = random.nextInt(2);
            csv.append(sentence(random, words.get(label))).append(',').append(label == 0 ? "positive" : "negative")
                    .append('\n');
        }
        return csv.toString();
    }

    /** {@code x1,x2,color,label}: the label is whether x1 + x2 is positive. */
    public static String tabularClasses(int rows, long seed) {
        Random random = new Random(seed);
        List<String> colors = List.of("red", "green", "blue");
        StringBuilder csv = new StringBuilder("x1,x2,color,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            double margin = x1 + x2;
            if (Math.abs(margin) < 0.2) {
                margin = margin < 0 ? margin - 0.3 : margin + 0.3;
                x1 += margin - (x1 + x2);
            }
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s,%s%n", x1, x2,
                    colors.get(random.nextInt(3)), x1 + x2 > 0 ? "yes" : "no"));
        }
        return csv.toString();
    }

    /** {@code x1,x2,y} with y = 3·x1 − 2·x2 + 1 + small noise. */
    public static String linear(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            double y = 3 * x1 - 2 * x2 + 1 + random.nextGaussian() * 0.05;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", x1, x2, y));
        }
        return csv.toString();
    }

    /** One topic's text, for prediction checks. */
    public static String topicText(String topic, long seed) {
        return sentence(new Random(seed), TOPIC_WORDS.get(TOPICS.indexOf(topic)));
    }

    private static String topicRows(int rows, long seed, boolean shuffle) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int topic = random.nextInt(TOPICS.size());
            texts.add(sentence(random, TOPIC_WORDS.get(topic)));
            labels.add(TOPICS.get(topic));
        }
        if (shuffle) {
            Collections.shuffle(labels, random);
        }
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(texts.get(i)).append(',').append(labels.get(i)).append('\n');
        }
        return csv.toString();
    }

    private static String sentence(Random random, List<String> keys) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            words.add(FILLER.get(random.nextInt(FILLER.size())));
        }
        words.add(random.nextInt(words.size() + 1), keys.get(random.nextInt(keys.size())));
        words.add(random.nextInt(words.size() + 1), keys.get(random.nextInt(keys.size())));
        // a number keeps rows distinct, so deduplication leaves the row count alone
        words.add(random.nextInt(words.size() + 1), "n" + random.nextInt(1_000_000));
        return String.join(" ", words);
    }
}

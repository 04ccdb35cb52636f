package io.modelyard.dataset;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a realistic text-classification CSV ({@code text,label}, about 100 bytes a row): product reviews in
 * three imbalanced classes, some with commas and quotes (so quoted fields), a little non-ASCII text, about 2%
 * exact duplicates and about 0.1% missing labels. Deterministic for a seed.
 *
 * <p>Usage: {@code TextDatasetGenerator <path> <rows> <seed>}
 */
public final class TextDatasetGenerator {

    private static final String[] SUBJECTS = {"The product", "This phone", "The delivery", "Customer service",
        "The app", "My order", "The battery", "This laptop", "The packaging", "The headset", "The update",
        "Their support team", "The screen", "The price", "The refund"};
    private static final String[][] OPINIONS = {
        {"is excellent", "works perfectly", "exceeded my expectations", "is really great", "was fast and friendly",
            "is worth every penny", "made me happy", "is the best I have owned", "arrived early"},
        {"is terrible", "stopped working after a week", "was a waste of money", "is really disappointing",
            "broke on the first day", "never answered my emails", "is slow and buggy", "arrived damaged"},
        {"is okay", "does what it says", "is average", "arrived on time", "is neither good nor bad",
            "works as described", "is fine for the price"}};
    private static final String[] LABELS = {"positive", "negative", "neutral"};
    private static final String[] TAILS = {"I would buy it again", "not sure yet", "see photos",
        "five stars from me", "two weeks of use", "my wife agrees", "will update later", "thanks",
        "honestly", "overall", "to be fair", "in my opinion", "after a month", "compared to the old one"};
    private static final String[] EXTRAS = {"très bien", "naïve setup", "café-quality", "déjà vu", "Zürich store"};

    private TextDatasetGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: TextDatasetGenerator <path> <rows> <seed>");
            System.exit(2);
        }
        long bytes = write(Path.of(args[0]), Long.parseLong(args[1]), Long.parseLong(args[2]));
        System.out.println("wrote " + args[1] + " rows, " + bytes + " bytes to " + args[0]);
    }

    /** Writes the dataset and returns its size in bytes. */
    public static long write(Path path, long rows, long seed) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            write(out, rows, seed);
        }
        return Files.size(path);
    }

    public static void write(OutputStream out, long rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] recent = new String[1024];
        StringBuilder line = new StringBuilder(256);
        out.write("text,label\n".getBytes(StandardCharsets.US_ASCII));
        for (long i = 0; i < rows; i++) {
            String row;
            int slot = (int) (i % recent.length);
            if (i > recent.length && random.nextInt(100) < 2) {
                row = recent[random.nextInt(recent.length)];
            } else {
                row = row(random, line);
            }
            recent[slot] = row;
            out.write(row.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String row(SplittableRandom random, StringBuilder line) {
        int roll = random.nextInt(100);
        int label = roll < 50 ? 0 : roll < 85 ? 1 : 2;
        line.setLength(0);
        line.append(pick(random, SUBJECTS)).append(' ').append(pick(random, OPINIONS[label]));
        int style = random.nextInt(10);
        if (style < 3) {
            line.append(", ").append(pick(random, TAILS));
        } else if (style < 5) {
            line.append(". He said \"").append(pick(random, TAILS)).append('"');
        } else {
            line.append(' ').append(pick(random, TAILS));
        }
        if (random.nextInt(100) < 3) {
            line.append(' ').append(pick(random, EXTRAS));
        }
        // Orders and days make most reviews distinct, as real ones are.
        line.append(random.nextBoolean() ? ", order " : " after ").append(random.nextInt(100_000))
                .append(random.nextBoolean() ? " days" : "");
        while (line.length() < 70 + random.nextInt(20)) {
            line.append(' ').append(pick(random, TAILS));
        }
        line.append('.');
        String text = line.toString();
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0;
        String cell = quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
        String labelCell = random.nextInt(1000) == 0 ? "" : LABELS[label];
        return cell + ',' + labelCell + '\n';
    }

    private static String pick(SplittableRandom random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes examples/reviews.csv: synthetic product reviews of an online shop, labelled positive, neutral or
 * negative. Every sentence is assembled here from the phrase lists below with a fixed seed, so the file is the
 * same on every machine and is ours to give away (see examples/LICENSE.md). About 4 % of the labels are flipped
 * on purpose: real labels are noisy, and a perfect score would teach nothing about reading an evaluation.
 *
 * Run from the repository root (JDK 17, no build needed): java examples/GenerateReviews.java [rows] [seed] [file]
 */
public final class GenerateReviews {

    private static final List<String> PRODUCTS = List.of("headphones", "coffee grinder", "backpack", "desk lamp",
            "running shoes", "phone case", "kettle", "keyboard", "winter jacket", "blender", "monitor", "tent",
            "water bottle", "office chair", "vacuum cleaner", "camera bag", "yoga mat", "toaster", "mouse", "scarf");

    private static final List<String> POSITIVE = List.of("works perfectly", "is excellent value", "exceeded my"
            + " expectations", "feels really solid", "is exactly as described", "arrived quickly and well packed",
            "is the best I have owned", "is comfortable and well made", "was easy to set up", "looks great",
            "does the job brilliantly", "is a pleasure to use");
    private static final List<String> NEGATIVE = List.of("broke after two days", "is a waste of money",
            "stopped working within a week", "feels cheap and flimsy", "arrived damaged", "is nothing like the photos",
            "was missing parts", "is uncomfortable and badly made", "never arrived", "is loud and annoying",
            "fell apart quickly", "was impossible to set up");
    private static final List<String> NEUTRAL = List.of("is okay for the price", "does what it says",
            "is fine, nothing special", "arrived on the expected day", "is average", "works as expected",
            "is similar to my old one", "is neither great nor bad", "came in a plain box", "is a standard model",
            "has the usual features", "is acceptable");

    private static final List<String> POSITIVE_OPENERS = List.of("Love it!", "Great purchase.", "Highly recommended.",
            "Five stars.", "Very happy.", "");
    private static final List<String> NEGATIVE_OPENERS = List.of("Terrible.", "Very disappointed.", "Avoid.",
            "One star.", "Not happy at all.", "");
    private static final List<String> NEUTRAL_OPENERS = List.of("It's fine.", "Three stars.", "Meh.", "No complaints.",
            "As expected.", "");
    private static final List<String> POSITIVE_CLOSERS = List.of("Would buy again.", "Thanks!", "My family loves it.",
            "Worth every penny.", "");
    private static final List<String> NEGATIVE_CLOSERS = List.of("I want a refund.", "Returning it.",
            "Customer service did not help.", "Do not buy.", "");
    private static final List<String> NEUTRAL_CLOSERS = List.of("Might buy again.", "Delivery was normal.",
            "Can't say more yet.", "It will do.", "");

    private GenerateReviews() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2026;
        Path out = args.length > 2 ? Path.of(args[2]) : Path.of("examples", "reviews.csv");
        Random random = new Random(seed);
        String[] labels = {"positive", "neutral", "negative"};
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.print("review,sentiment\n");
            for (int i = 0; i < rows; i++) {
                int kind = random.nextInt(3);
                String review = review(random, kind);
                String label = random.nextDouble() < 0.04 ? labels[random.nextInt(3)] : labels[kind];
                csv.print(quote(review) + "," + label + "\n");
            }
        }
        System.out.println("Wrote " + rows + " reviews to " + out);
    }

    private static String review(Random random, int kind) {
        List<String> openers = kind == 0 ? POSITIVE_OPENERS : kind == 1 ? NEUTRAL_OPENERS : NEGATIVE_OPENERS;
        List<String> phrases = kind == 0 ? POSITIVE : kind == 1 ? NEUTRAL : NEGATIVE;
        List<String> closers = kind == 0 ? POSITIVE_CLOSERS : kind == 1 ? NEUTRAL_CLOSERS : NEGATIVE_CLOSERS;
        String product = pick(random, PRODUCTS);
        StringBuilder text = new StringBuilder();
        append(text, pick(random, openers));
        append(text, "The " + product + " " + pick(random, phrases) + ".");
        if (random.nextBoolean()) {
            // A second phrase, sometimes of another kind: reviews are rarely all one tone.
            List<String> second = random.nextInt(4) == 0 ? (kind == 1 ? POSITIVE : NEUTRAL) : phrases;
            append(text, "It also " + pick(random, second) + ".");
        }
        append(text, pick(random, closers));
        return text.toString();
    }

    private static void append(StringBuilder text, String part) {
        if (!part.isEmpty()) {
            text.append(text.isEmpty() ? "" : " ").append(part);
        }
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}

package io.modelyard.optimization;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated text classification set that is not trivially separable, for bench/optimize.sh and the subword
 * measurements: classes of made-up topic words that overlap (each text also carries a word of another class),
 * Zipf-distributed filler, misspelled words (one random edit with probability {@code misspell}), and a share of
 * wrong labels. Written as the CSV a tenant would upload: {@code text,label,split}.
 * Arguments: {@code rows=} (training rows; validation and test get an eighth each), {@code classes=},
 * {@code misspell=}, {@code label_noise=}, {@code seed=}, {@code out=}.
 */
public final class NoisyText {

    private final Random random;
    private final int classes;
    private final double misspell;
    private final double labelNoise;
    private final List<List<String>> topicWords = new ArrayList<>();
    private final List<String> filler = new ArrayList<>();

    NoisyText(int classes, double misspell, double labelNoise, long seed) {
        this.random = new Random(seed);
        this.classes = classes;
        this.misspell = misspell;
        this.labelNoise = labelNoise;
        for (int c = 0; c < classes; c++) {
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 30; w++) {
                words.add(word(2 + random.nextInt(2)));
            }
            topicWords.add(words);
        }
        for (int w = 0; w < 400; w++) {
            filler.add(word(1 + random.nextInt(3)));
        }
    }

    /** One row: {@code text} and its (possibly wrong) label. */
    String[] row() {
        int label = random.nextInt(classes);
        List<String> tokens = new ArrayList<>();
        int length = 12 + random.nextInt(13);
        for (int i = 0; i < length; i++) {
            // Zipf-like: small indexes far more often
            tokens.add(filler.get((int) Math.min(filler.size() - 1, Math.floor(Math.exp(random.nextDouble()
                    * Math.log(filler.size()))) - 1)));
        }
        int own = 2 + random.nextInt(3);
        for (int i = 0; i < own; i++) {
            tokens.add(random.nextInt(tokens.size() + 1), pick(topicWords.get(label)));
        }
        if (random.nextBoolean()) {
            int other = (label + 1 + random.nextInt(classes - 1)) % classes;
            tokens.add(random.nextInt(tokens.size() + 1), pick(topicWords.get(other)));
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (random.nextDouble() < misspell) {
                tokens.set(i, misspelt(tokens.get(i)));
            }
        }
        int shown = random.nextDouble() < labelNoise ? random.nextInt(classes) : label;
        return new String[] {String.join(" ", tokens), "c" + shown};
    }

    private String pick(List<String> words) {
        // a topic's words are not equally common either
        return words.get((int) Math.min(words.size() - 1, Math.floor(Math.exp(random.nextDouble()
                * Math.log(words.size() + 1)) - 1)));
    }

    private String word(int syllables) {
        String consonants = "bcdfghklmnprstvz";
        String vowels = "aeiou";
        StringBuilder w = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
            w.append(consonants.charAt(random.nextInt(consonants.length())));
            w.append(vowels.charAt(random.nextInt(vowels.length())));
            if (random.nextBoolean()) {
                w.append(consonants.charAt(random.nextInt(consonants.length())));
            }
        }
        return w.toString();
    }

    private String misspelt(String word) {
        if (word.length() < 3) {
            return word;
        }
        StringBuilder w = new StringBuilder(word);
        int at = 1 + random.nextInt(word.length() - 2);
        switch (random.nextInt(4)) {
            case 0 -> {
                char c = w.charAt(at);
                w.setCharAt(at, w.charAt(at + 1));
                w.setCharAt(at + 1, c);
            }
            case 1 -> w.deleteCharAt(at);
            case 2 -> w.insert(at, (char) ('a' + random.nextInt(26)));
            default -> w.setCharAt(at, (char) ('a' + random.nextInt(26)));
        }
        return w.toString();
    }

    public static void main(String[] args) throws Exception {
        int rows = 8000;
        int classes = 4;
        double misspell = 0.2;
        double labelNoise = 0.05;
        long seed = 7;
        Path out = null;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "rows" -> rows = Integer.parseInt(kv[1]);
                case "classes" -> classes = Integer.parseInt(kv[1]);
                case "misspell" -> misspell = Double.parseDouble(kv[1]);
                case "label_noise" -> labelNoise = Double.parseDouble(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "out" -> out = Path.of(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("out=<path> is required");
        }
        NoisyText generator = new NoisyText(classes, misspell, labelNoise, seed);
        try (BufferedWriter csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            csv.write("text,label,split\n");
            write(csv, generator, rows, "train");
            write(csv, generator, rows / 8, "validation");
            write(csv, generator, rows / 8, "test");
        }
    }

    /** The CSV text of a small set, for tests. */
    static String csv(int rows, double misspell, long seed) {
        NoisyText generator = new NoisyText(4, misspell, 0.0, seed);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < rows; i++) {
            String[] row = generator.row();
            csv.append(row[0]).append(',').append(row[1]).append('\n');
        }
        return csv.toString();
    }

    private static void write(BufferedWriter csv, NoisyText generator, int rows, String split) throws Exception {
        for (int i = 0; i < rows; i++) {
            String[] row = generator.row();
            csv.write(row[0] + "," + row[1] + "," + split + "\n");
        }
    }
}

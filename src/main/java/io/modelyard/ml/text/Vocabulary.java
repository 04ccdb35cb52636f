package io.modelyard.ml.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token to index. Index 0 is padding, 1 the unknown token, then the most frequent training tokens (ties broken
 * alphabetically, so the same data gives the same vocabulary). Immutable and thread-safe.
 */
public final class Vocabulary {

    public static final int PAD = 0;
    public static final int UNK = 1;
    static final String PAD_TOKEN = "<pad>";
    static final String UNK_TOKEN = "<unk>";

    private final List<String> tokens;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.index = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            index.put(tokens.get(i), i);
        }
    }

    /**
     * Builds from token counts.
     *
     * @param maxSize entries including padding and unknown
     */
    public static Vocabulary fromCounts(Map<String, Integer> counts, int maxSize) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Collections.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> tokens = new ArrayList<>(Math.min(maxSize, entries.size() + 2));
        tokens.add(PAD_TOKEN);
        tokens.add(UNK_TOKEN);
        for (Map.Entry<String, Integer> entry : entries) {
            if (tokens.size() >= maxSize) {
                break;
            }
            tokens.add(entry.getKey());
        }
        return new Vocabulary(tokens);
    }

    public int size() {
        return tokens.size();
    }

    public int indexOf(String token) {
        Integer i = index.get(token);
        return i == null ? UNK : i;
    }

    public String token(int index) {
        return tokens.get(index);
    }

    /** One token per line, in index order: the artifact's {@code vocabulary.txt}. */
    public byte[] toBytes() {
        return (String.join("\n", tokens) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static Vocabulary read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> tokens = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            tokens.add(line);
        }
        if (tokens.size() < 2 || !PAD_TOKEN.equals(tokens.get(0)) || !UNK_TOKEN.equals(tokens.get(1))) {
            throw new IOException("not a vocabulary: it must start with " + PAD_TOKEN + " and " + UNK_TOKEN);
        }
        return new Vocabulary(tokens);
    }

    /** A digest of the tokens in order, to check that a checkpoint belongs to the same data. */
    public long fingerprint() {
        long h = 1125899906842597L;
        for (String token : tokens) {
            h = 31 * h + token.hashCode();
        }
        return h;
    }
}

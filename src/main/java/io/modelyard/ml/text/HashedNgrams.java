package io.modelyard.ml.text;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * fastText's subword features (Bojanowski et al., 2017): the character n-grams of {@code <word>} from 3 to 6
 * characters, and optionally pairs of neighbouring words, hashed (32-bit FNV-1a of their UTF-8 bytes) into
 * {@code buckets} shared rows placed after the vocabulary. A misspelled or unseen word still shares most of its
 * n-grams with the words it resembles.
 */
final class HashedNgrams {

    static final int MIN_N = 3;
    static final int MAX_N = 6;

    private final int offset;
    private final int buckets;
    private final boolean characters;
    private final boolean bigrams;

    /**
     * @param offset the first index after the vocabulary
     */
    HashedNgrams(int offset, int buckets, boolean characters, boolean bigrams) {
        this.offset = offset;
        this.buckets = buckets;
        this.characters = characters;
        this.bigrams = bigrams;
    }

    int buckets() {
        return buckets;
    }

    /** The words' indexes followed by their n-grams' bucket indexes. */
    int[] append(int[] wordIds, List<String> words) {
        int extra = 0;
        if (characters) {
            for (String w : words) {
                extra += count(w.codePointCount(0, w.length()) + 2);
            }
        }
        if (bigrams) {
            extra += Math.max(0, words.size() - 1);
        }
        int[] ids = new int[wordIds.length + extra];
        System.arraycopy(wordIds, 0, ids, 0, wordIds.length);
        int at = wordIds.length;
        if (characters) {
            for (String w : words) {
                int[] points = ("<" + w + ">").codePoints().toArray();
                for (int n = MIN_N; n <= MAX_N; n++) {
                    for (int i = 0; i + n <= points.length; i++) {
                        ids[at++] = bucket(new String(points, i, n));
                    }
                }
            }
        }
        if (bigrams) {
            for (int i = 0; i + 1 < words.size(); i++) {
                ids[at++] = bucket(words.get(i) + " " + words.get(i + 1));
            }
        }
        return ids;
    }

    /** N-grams of 3 to 6 characters in a string of {@code length} characters. */
    private static int count(int length) {
        int total = 0;
        for (int n = MIN_N; n <= MAX_N; n++) {
            total += Math.max(0, length - n + 1);
        }
        return total;
    }

    private int bucket(String gram) {
        int hash = 0x811C9DC5;
        for (byte b : gram.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return offset + Integer.remainderUnsigned(hash, buckets);
    }
}

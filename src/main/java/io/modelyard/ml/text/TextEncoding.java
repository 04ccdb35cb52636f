package io.modelyard.ml.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.nn.TextCnnEncoder;
import io.modelyard.model.spec.Architecture;
import java.util.Arrays;
import java.util.List;

/**
 * Text to token indexes, and the batch layout an architecture expects. Shared by training and serving, so a
 * model always sees text the way it was trained on.
 * <ul>
 * <li>Most architectures: the first {@code maxLength} tokens, padded at the end to the longest text of the batch
 * (at least {@code minLength}, the widest convolution); the networks mask the padding, so a prediction does not
 * depend on what else is in the batch.</li>
 * <li>{@code lstm_classic}: as Keras' {@code pad_sequences}: the last {@code maxLength} tokens, padded in front
 * to exactly {@code maxLength}.</li>
 * <li>{@code bilstm}: a second input holds, per row, the position index that reverses the row within its own
 * length, so the backward direction never reads padding first.</li>
 * </ul>
 * A text without any token becomes the single unknown token.
 */
public final class TextEncoding {

    private final WordTokenizer tokenizer = new WordTokenizer();
    private final Vocabulary vocabulary;
    private final int maxLength;
    private final int minLength;
    private final boolean classic;
    private final boolean reverseIndex;
    /** Hashed n-grams after the words, or null. */
    private final HashedNgrams ngrams;

    private TextEncoding(Vocabulary vocabulary, int maxLength, int minLength, boolean classic, boolean reverseIndex,
            HashedNgrams ngrams) {
        this.ngrams = ngrams;
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        // may exceed maxLength (a TextCNN kernel wider than max_sequence_length): that is padding, not text
        this.minLength = minLength;
        this.classic = classic;
        this.reverseIndex = reverseIndex;
    }

    public static TextEncoding forArchitecture(Architecture architecture, Vocabulary vocabulary, int maxLength) {
        return forArchitecture(architecture, vocabulary, maxLength, 0, false, false);
    }

    /**
     * With hashed n-grams: {@code buckets} rows after the vocabulary for the character n-grams of each word
     * ({@code characters}) and the pairs of neighbouring words ({@code bigrams}); 0 buckets for none.
     */
    public static TextEncoding forArchitecture(Architecture architecture, Vocabulary vocabulary, int maxLength,
            int buckets, boolean characters, boolean bigrams) {
        int minLength = architecture == Architecture.TEXT_CNN ? TextCnnEncoder.WIDEST_KERNEL : 1;
        HashedNgrams ngrams = buckets > 0 && (characters || bigrams)
                ? new HashedNgrams(vocabulary.size(), buckets, characters, bigrams) : null;
        return new TextEncoding(vocabulary, maxLength, Math.max(1, minLength),
                architecture == Architecture.LSTM_CLASSIC, architecture == Architecture.BILSTM, ngrams);
    }

    /** Rows of the embedding: the vocabulary, plus the n-gram buckets. */
    public int inputSize() {
        return vocabulary.size() + (ngrams == null ? 0 : ngrams.buckets());
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    /** Token indexes of a text, truncated, not padded; never empty. */
    public int[] encode(String text) {
        return encodeTokens(tokenizer.tokenize(text));
    }

    public int[] encodeTokens(List<String> tokens) {
        if (tokens.isEmpty()) {
            return new int[] {Vocabulary.UNK};
        }
        int n = Math.min(tokens.size(), maxLength);
        int skip = classic ? tokens.size() - n : 0;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = vocabulary.indexOf(tokens.get(skip + i));
        }
        return ngrams == null ? ids : ngrams.append(ids, tokens.subList(skip, skip + n));
    }

    /** Encodes texts into compact rows. */
    public TextRows rows(List<String> texts) {
        TextRows.Builder builder = new TextRows.Builder(texts.size());
        for (String text : texts) {
            builder.add(encode(text));
        }
        return builder.build(this);
    }

    /** Rows from already encoded texts (the explainer's occluded variants). */
    public TextRows rowsOfIds(List<int[]> encoded) {
        TextRows.Builder builder = new TextRows.Builder(encoded.size());
        encoded.forEach(builder::add);
        return builder.build(this);
    }

    int paddedLength(int longest) {
        return classic ? maxLength : Math.max(minLength, longest);
    }

    boolean padInFront() {
        return classic;
    }

    boolean reverseIndex() {
        return reverseIndex;
    }

    /** Compact rows: all token indexes in one array, with row offsets. */
    public static final class TextRows implements EncodedRows {

        private final TextEncoding encoding;
        private final int[] offsets;
        private final int[] tokens;

        private TextRows(TextEncoding encoding, int[] offsets, int[] tokens) {
            this.encoding = encoding;
            this.offsets = offsets;
            this.tokens = tokens;
        }

        @Override
        public int size() {
            return offsets.length - 1;
        }

        @Override
        public NDList batch(NDManager manager, int[] order, int from, int to) {
            return TextBatches.batch(encoding, offsets, tokens, manager, order, from, to);
        }

        static final class Builder {
            private int[] offsets;
            private int[] tokens;
            private int rows;

            Builder(int expectedRows) {
                offsets = new int[expectedRows + 1];
                tokens = new int[Math.max(16, expectedRows * 16)];
            }

            void add(int[] ids) {
                int start = offsets[rows];
                if (start + ids.length > tokens.length) {
                    tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, start + ids.length));
                }
                System.arraycopy(ids, 0, tokens, start, ids.length);
                if (rows + 1 >= offsets.length) {
                    offsets = Arrays.copyOf(offsets, offsets.length * 2 + 1);
                }
                offsets[++rows] = start + ids.length;
            }

            TextRows build(TextEncoding encoding) {
                return new TextRows(encoding, Arrays.copyOf(offsets, rows + 1),
                        Arrays.copyOf(tokens, offsets[rows]));
            }
        }
    }
}

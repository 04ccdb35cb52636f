package io.modelyard.ml.text;

import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.Preprocessing;
import io.modelyard.model.spec.Architecture;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Hyperparameters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Text preprocessing: the tokenizer and the vocabulary built from the training split. */
public final class TextPreprocessing implements Preprocessing {

    public static final String VOCABULARY_ENTRY = "vocabulary.txt";

    private final TextEncoding encoding;

    public TextPreprocessing(TextEncoding encoding) {
        this.encoding = encoding;
    }

    /** Counts the training split's tokens and keeps the {@code vocabularySize} most frequent (with PAD, UNK). */
    public static TextPreprocessing fit(Architecture architecture, List<Example> train, int vocabularySize,
            int maxLength) {
        return fit(architecture, train, vocabularySize, maxLength, 0, false, false);
    }

    /** As {@link #fit(Architecture, List, int, int)}, with the hyperparameters' hashed n-grams. */
    public static TextPreprocessing fit(Architecture architecture, List<Example> train, Hyperparameters h) {
        return fit(architecture, train, h.vocabularySize(), h.maxSequenceLength(), h.ngramBuckets(), h.charNgrams(),
                h.wordBigrams());
    }

    private static TextPreprocessing fit(Architecture architecture, List<Example> train, int vocabularySize,
            int maxLength, int buckets, boolean characters, boolean bigrams) {
        WordTokenizer tokenizer = new WordTokenizer();
        Map<String, Integer> counts = new HashMap<>();
        for (Example example : train) {
            for (String token : tokenizer.tokenize(example.text())) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, vocabularySize);
        return new TextPreprocessing(TextEncoding.forArchitecture(architecture, vocabulary, maxLength, buckets,
                characters, bigrams));
    }

    public static TextPreprocessing read(Architecture architecture, int maxLength, Map<String, byte[]> entries)
            throws IOException {
        return read(architecture, maxLength, 0, false, false, entries);
    }

    /** Reads the vocabulary of an artifact trained with {@code h} (its sequence length and n-grams). */
    public static TextPreprocessing read(Architecture architecture, Hyperparameters h, Map<String, byte[]> entries)
            throws IOException {
        return read(architecture, h.maxSequenceLength(), h.ngramBuckets(), h.charNgrams(), h.wordBigrams(), entries);
    }

    private static TextPreprocessing read(Architecture architecture, int maxLength, int buckets, boolean characters,
            boolean bigrams, Map<String, byte[]> entries) throws IOException {
        byte[] bytes = entries.get(VOCABULARY_ENTRY);
        if (bytes == null) {
            throw new IOException("artifact has no " + VOCABULARY_ENTRY);
        }
        Vocabulary vocabulary = Vocabulary.read(new ByteArrayInputStream(bytes));
        return new TextPreprocessing(TextEncoding.forArchitecture(architecture, vocabulary, maxLength, buckets,
                characters, bigrams));
    }

    public TextEncoding encoding() {
        return encoding;
    }

    @Override
    public EncodedRows examples(List<Example> examples, String split) {
        List<String> texts = new ArrayList<>(examples.size());
        for (Example example : examples) {
            texts.add(example.text());
        }
        return encoding.rows(texts);
    }

    @Override
    public EncodedRows inputs(List<PredictionInput> inputs) {
        List<String> texts = new ArrayList<>(inputs.size());
        for (int r = 0; r < inputs.size(); r++) {
            String text = inputs.get(r).text();
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("text must not be empty", "text", r);
            }
            texts.add(text);
        }
        return encoding.rows(texts);
    }

    @Override
    public int inputSize() {
        return encoding.inputSize();
    }

    @Override
    public Map<String, byte[]> entries() {
        return Map.of(VOCABULARY_ENTRY, encoding.vocabulary().toBytes());
    }

    @Override
    public long fingerprint() {
        return 31 * encoding.vocabulary().fingerprint() + encoding.inputSize();
    }
}

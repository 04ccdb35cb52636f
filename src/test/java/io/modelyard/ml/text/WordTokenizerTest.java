package io.modelyard.ml.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    private final WordTokenizer tokenizer = new WordTokenizer();

    @Test
    void splitsOnPunctuationAndLowercases() {
        assertEquals(List.of("don't", "stop", "me", "now", "42", "times"),
                tokenizer.tokenize("Don't STOP me—now! 42 times..."));
    }

    @Test
    void isUnicodeAware() {
        // NFKC folds the full-width letters to ASCII
        assertEquals(List.of("straße", "café", "naïve", "test"), tokenizer.tokenize("Straße, Café; naïve ｔｅｓｔ"));
        assertEquals(List.of("привет", "мир"), tokenizer.tokenize("Привет, МИР"));
        assertEquals(List.of("東", "京", "tokyo"), tokenizer.tokenize("東京 Tokyo"));
        assertEquals(List.of("it's"), tokenizer.tokenize("It\u2019s"));
        assertEquals(List.of(), tokenizer.tokenize("  ?! "));
        assertEquals(List.of(), tokenizer.tokenize(null));
    }

    @Test
    void vocabularyKeepsTheMostFrequentTokensAfterPadAndUnknown() {
        Vocabulary vocabulary = Vocabulary.fromCounts(Map.of("b", 3, "a", 3, "c", 5, "d", 1), 4);
        assertEquals(4, vocabulary.size());
        assertEquals(Vocabulary.PAD, vocabulary.indexOf("<pad>"));
        assertEquals(2, vocabulary.indexOf("c"));
        assertEquals(3, vocabulary.indexOf("a"));
        assertEquals(Vocabulary.UNK, vocabulary.indexOf("b"));
        assertEquals(Vocabulary.UNK, vocabulary.indexOf("never seen"));
    }

    @Test
    void encodingTruncatesAndKeepsTheLastTokensForTheClassicModel() {
        Vocabulary vocabulary = Vocabulary.fromCounts(Map.of("a", 3, "b", 2, "c", 1), 10);
        TextEncoding first = TextEncoding.forArchitecture(io.modelyard.model.spec.Architecture.BILSTM,
                vocabulary, 2);
        TextEncoding last = TextEncoding.forArchitecture(io.modelyard.model.spec.Architecture.LSTM_CLASSIC,
                vocabulary, 2);
        assertEquals(List.of(2, 3), box(first.encode("a b c")));
        assertEquals(List.of(3, 4), box(last.encode("a b c")));
        assertEquals(List.of(Vocabulary.UNK), box(first.encode("...")));
    }

    private static List<Integer> box(int[] ids) {
        return java.util.Arrays.stream(ids).boxed().toList();
    }
}

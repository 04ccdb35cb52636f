package io.modelyard.ml.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into lowercase words, the same way at training and prediction time. Unicode aware: the text is
 * NFKC-normalised and lowercased with the root locale; a word is a run of letters, marks and digits, with inner
 * apostrophes kept ({@code don't}); Han, Hiragana and Katakana characters, which are not separated by spaces, are
 * one token each. Everything else (punctuation, symbols, spaces) separates words. Stateless and thread-safe.
 */
public final class WordTokenizer {

    private static final String IDEOGRAPHIC = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}";
    private static final String WORD_CHAR = "[\\p{L}\\p{M}\\p{N}&&[^" + IDEOGRAPHIC + "]]";
    private static final Pattern TOKEN = Pattern.compile(
            "[" + IDEOGRAPHIC + "]|" + WORD_CHAR + "+(?:['\u2019]" + WORD_CHAR + "+)*");

    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return tokens;
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        Matcher matcher = TOKEN.matcher(normalized);
        while (matcher.find()) {
            tokens.add(matcher.group().replace('\u2019', '\''));
        }
        return tokens;
    }
}

package io.modelyard.ml.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into lowercase words, the same way at training and prediction time. Unicode aware: the text is
 * NFKC-normalised and lowercased with the root locale; a word is a run of letters, marks and digits, with inner
 * apostrophes kept ({@code don't}); Han, Hiragana and Katakana characters, which are not separated by spaces, are
 * one token each. Everything else (punctuation, symbols, spaces) separates words. A hand-written scanner rather
 * than a regular expression: it runs over every training row. Stateless and thread-safe.
 */
public final class WordTokenizer {

    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return tokens;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int n = s.length();
        int start = -1;
        StringBuilder word = null;
        int i = 0;
        while (i < n) {
            int c = s.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isIdeographic(c)) {
                start = flush(tokens, s, start, i, word);
                word = null;
                tokens.add(new String(Character.toChars(c)));
            } else if (isWordChar(c)) {
                if (start < 0) {
                    start = i;
                }
            } else if ((c == '\'' || c == '\u2019') && start >= 0 && next < n && isWordChar(s.codePointAt(next))
                    && !isIdeographic(s.codePointAt(next))) {
                if (c == '\u2019') {
                    // keep one apostrophe form: don’t and don't are the same word
                    word = (word == null ? new StringBuilder() : word).append(s, start, i).append('\'');
                    start = next;
                }
            } else {
                start = flush(tokens, s, start, i, word);
                word = null;
            }
            i = next;
        }
        flush(tokens, s, start, n, word);
        return tokens;
    }

    private static int flush(List<String> tokens, String s, int start, int end, StringBuilder word) {
        if (start >= 0 || word != null) {
            String tail = start >= 0 ? s.substring(start, end) : "";
            tokens.add(word == null ? tail : word.append(tail).toString());
        }
        return -1;
    }

    private static boolean isWordChar(int c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    private static boolean isIdeographic(int c) {
        if (c < 0x2E80) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }
}

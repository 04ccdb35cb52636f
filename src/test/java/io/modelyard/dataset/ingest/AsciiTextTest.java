package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.ValueNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte scan must agree with the String path it stands in for, for every ASCII input. */
class AsciiTextTest {

    @Test
    void agreesWithTheStringPathOnRandomAscii() {
        SplittableRandom random = new SplittableRandom(3);
        char[] alphabet = {'a', 'b', ' ', ' ', ',', '"', '\t', '\r', '\n', 'x', '.', 0x7F, 0x01, 'Z'};
        for (int round = 0; round < 100_000; round++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(chars);
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            long scan = AsciiText.scan(b, 0, b.length);
            String message = "'" + s.replace("\n", "\\n").replace("\r", "\\r") + "'";
            boolean changedByCollapse = !ValueNormalizer.whitespace(s, CleaningOptions.Whitespace.COLLAPSE).equals(s);
            boolean changedByTrim = !ValueNormalizer.whitespace(s, CleaningOptions.Whitespace.TRIM).equals(s);
            assertEquals(changedByCollapse, (scan & AsciiText.NEEDS_COLLAPSE) != 0, message);
            assertEquals(changedByTrim, (scan & AsciiText.NEEDS_TRIM) != 0, message);
            boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
            assertEquals(quote, (scan & AsciiText.NEEDS_QUOTE) != 0, message);
            assertEquals(s.indexOf('"') >= 0, (scan & AsciiText.HAS_QUOTE_CHAR) != 0, message);
            // Tokens: runs of characters that are not whitespace or control characters.
            long tokens = java.util.Arrays.stream(s.split("[\\x00-\\x20\\x7F]+")).filter(t -> !t.isEmpty()).count();
            assertEquals(tokens, (int) scan, message);
        }
    }
}

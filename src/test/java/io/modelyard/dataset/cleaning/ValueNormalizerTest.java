package io.modelyard.dataset.cleaning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.modelyard.dataset.cleaning.CleaningOptions.Whitespace;
import org.junit.jupiter.api.Test;

class ValueNormalizerTest {

    @Test
    void nfcComposesAndLeavesNormalTextAsIs() {
        assertEquals("café", ValueNormalizer.nfc("cafe\u0301"));
        assertEquals(4, ValueNormalizer.nfc("cafe\u0301").length());
        String composed = "café déjà";
        assertSame(composed, ValueNormalizer.nfc(composed));
        String ascii = "plain text";
        assertSame(ascii, ValueNormalizer.nfc(ascii));
    }

    @Test
    void collapseTrimsAndJoinsEveryKindOfWhitespace() {
        assertEquals("hello world again", ValueNormalizer.whitespace("  hello \t\n world\u00A0\u2003again\r\n",
                Whitespace.COLLAPSE));
        assertEquals("", ValueNormalizer.whitespace(" \t ", Whitespace.COLLAPSE));
        String clean = "already clean";
        assertSame(clean, ValueNormalizer.whitespace(clean, Whitespace.COLLAPSE));
    }

    @Test
    void trimOnlyTouchesTheEnds() {
        assertEquals("a  b", ValueNormalizer.whitespace("\t a  b \n", Whitespace.TRIM));
        String kept = " a ";
        assertSame(kept, ValueNormalizer.whitespace(kept, Whitespace.KEEP));
    }

    @Test
    void labelCase() {
        assertEquals("positive", ValueNormalizer.labelCase("Positive", CleaningOptions.LabelCase.LOWER));
        assertEquals("POSITIVE", ValueNormalizer.labelCase("Positive", CleaningOptions.LabelCase.UPPER));
        String same = "positive";
        assertSame(same, ValueNormalizer.labelCase(same, CleaningOptions.LabelCase.LOWER));
    }
}

package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void plainDecimalsOnly() {
        assertEquals(42, Numbers.parse("42"));
        assertEquals(-3.5, Numbers.parse(" -3.5 "));
        assertEquals(0.5, Numbers.parse(".5"));
        assertEquals(1e-3, Numbers.parse("1e-3"));
        assertEquals(5, Numbers.parse("5."));
        for (String notNumber : new String[] {"", "abc", "1.5f", "0x10", "NaN", "Infinity", "1e", "--1", "1,5",
            "1e999", "."}) {
            assertTrue(Double.isNaN(Numbers.parse(notNumber)), notNumber);
        }
    }

    @Test
    void formatsWithoutExponents() {
        assertEquals("3", Numbers.format(3.0));
        assertEquals("2.5", Numbers.format(2.5));
        assertEquals("0.0001", Numbers.format(1e-4));
        assertEquals("-7", Numbers.format(-7.0));
        assertEquals("12345678901234567000", Numbers.format(1.2345678901234567e19));
    }
}

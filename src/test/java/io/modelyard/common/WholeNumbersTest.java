package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WholeNumbersTest {

    @Test
    void blankIsNoValueAndAWholeNumberIsRead() {
        assertNull(WholeNumbers.optionalInt(null, "top_k", "must be a whole number"));
        assertNull(WholeNumbers.optionalLong("  ", "split_seed", "must be a whole number"));
        assertEquals(3, WholeNumbers.optionalInt(" 3 ", "top_k", "must be a whole number"));
        assertEquals(-7_000_000_000L, WholeNumbers.optionalLong("-7000000000", "split_seed", "must be a whole number"));
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        for (String bad : new String[] {"two", "1.5", "3000000000"}) {
            ProblemException refused = assertThrows(ProblemException.class,
                    () -> WholeNumbers.optionalInt(bad, "top_k", "must be a whole number"), bad);
            assertEquals(400, refused.status(), bad);
            assertEquals("validation-failed", refused.type(), bad);
            assertEquals("top_k: must be a whole number", refused.detail(), bad);
        }
    }
}

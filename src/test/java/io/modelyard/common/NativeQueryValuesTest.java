package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NativeQueryValuesTest {

    private static final Instant AT = Instant.parse("2026-12-06T23:30:00.123456Z");

    @Test
    void everyShapeOfATimestamptzColumnIsTheSameInstant() {
        assertEquals(AT, NativeQueryValues.instant(AT));
        assertEquals(AT, NativeQueryValues.instant(OffsetDateTime.ofInstant(AT, ZoneOffset.ofHours(5))));
        assertEquals(AT, NativeQueryValues.instant(Timestamp.from(AT)));
        assertNull(NativeQueryValues.instant(null));
        assertThrows(IllegalStateException.class, () -> NativeQueryValues.instant("2026-12-06"));
    }

    @Test
    void everyShapeOfADateColumnIsTheSameLocalDate() {
        LocalDate day = LocalDate.of(2026, 12, 6);
        assertEquals(day, NativeQueryValues.localDate(day));
        assertEquals(day, NativeQueryValues.localDate(java.sql.Date.valueOf(day)));
        assertNull(NativeQueryValues.localDate(null));
        assertThrows(IllegalStateException.class, () -> NativeQueryValues.localDate(AT));
    }
}

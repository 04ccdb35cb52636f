package io.modelyard.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The columns of a native query as {@code java.time}: Hibernate hands a {@code timestamptz} back as an
 * {@link Instant}, an {@link OffsetDateTime} or a {@link Timestamp}, and a {@code date} as a {@link LocalDate} or
 * a {@link java.sql.Date}, depending on the query and the driver; every reader of such rows wants one type.
 */
public final class NativeQueryValues {

    private NativeQueryValues() {
    }

    /** A {@code timestamptz} column; null stays null. */
    public static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp " + value.getClass().getName());
    }

    /** A {@code date} column; null stays null. */
    public static LocalDate localDate(Object value) {
        if (value == null || value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        throw new IllegalStateException("Unexpected date " + value.getClass().getName());
    }
}

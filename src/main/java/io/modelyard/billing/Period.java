package io.modelyard.billing;

import io.modelyard.common.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A billing period: a calendar month in UTC, from the first of the month 00:00 to the next first. */
public record Period(YearMonth month) {

    public static Period of(Instant at) {
        return new Period(YearMonth.from(at.atOffset(ZoneOffset.UTC)));
    }

    public static Period ofStart(LocalDate start) {
        return new Period(YearMonth.from(start));
    }

    /** {@code 2026-11}; null or empty gives {@code otherwise}. */
    public static Period parse(String value, String field, Period otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return new Period(YearMonth.parse(value));
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a month as YYYY-MM");
        }
    }

    public LocalDate startDate() {
        return month.atDay(1);
    }

    public Instant start() {
        return startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The end (exclusive), which is also when quotas reset. */
    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Period next() {
        return new Period(month.plusMonths(1));
    }

    @Override
    public String toString() {
        return month.toString();
    }
}

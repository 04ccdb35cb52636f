package io.modelyard.dataset.split;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.problem.DatasetProblem;
import java.util.Locale;

/**
 * How rows get their split.
 *
 * @param train      share of rows for training (default 0.8); the three shares sum to 1
 * @param validation share for validation (default 0.1)
 * @param test       share for the held-out test (default 0.1)
 * @param seed       draws are reproducible: the same rows, options and seed give the same splits
 * @param stratify   classification: keep every label's shares (within one row of exact); ignored for
 *                   regression
 * @param source     {@code auto}: take splits from a split column when the upload has one (named in the
 *                   column map, or called {@code split}), else draw them; {@code draw}: always draw;
 *                   {@code column}: require a split column
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SplitOptions(double train, double validation, double test, long seed, boolean stratify,
        Source source) {

    public static final long DEFAULT_SEED = 42;
    public static final SplitOptions DEFAULTS = new SplitOptions(0.8, 0.1, 0.1, DEFAULT_SEED, true, Source.AUTO);

    public SplitOptions {
        source = source == null ? Source.AUTO : source;
        if (train < 0 || validation < 0 || test < 0 || Math.abs(train + validation + test - 1.0) > 1e-9
                || train == 0) {
            throw DatasetProblem.INVALID_OPTIONS.problem("Split shares must be non-negative, train above zero, "
                    + "and sum to 1 (got " + train + ", " + validation + ", " + test + ").");
        }
    }

    public SplitOptions withSeed(long value) {
        return new SplitOptions(train, validation, test, value, stratify, source);
    }

    public SplitOptions withShares(double trainShare, double validationShare, double testShare) {
        return new SplitOptions(trainShare, validationShare, testShare, seed, stratify, source);
    }

    public SplitOptions withSource(Source value) {
        return new SplitOptions(train, validation, test, seed, stratify, value);
    }

    double[] shares() {
        return new double[] {train, validation, test};
    }

    public enum Source {
        AUTO, DRAW, COLUMN;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package io.modelyard.dataset.ingest;

import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.profile.CategoryCounter;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.NumericAccumulator;

/** First-pass statistics of one tabular column: enough to infer its type and to impute and bound it. */
final class ColumnStats {

    /** Mean length from which a non-numeric column is free text rather than categories. */
    static final int TEXT_MEAN_LENGTH = 30;

    final NumericAccumulator numeric;
    final CategoryCounter categories;
    long missing;
    long nonMissing;
    long nonNumeric;
    long lengthSum;

    ColumnStats(int numericLimit, int categoryLimit, long seed) {
        this.numeric = new NumericAccumulator(numericLimit, seed);
        this.categories = new CategoryCounter(categoryLimit);
    }

    void add(String value) {
        if (value.isEmpty()) {
            missing++;
            return;
        }
        nonMissing++;
        lengthSum += value.length();
        double x = Numbers.parse(value);
        if (Double.isNaN(x)) {
            nonNumeric++;
        } else {
            numeric.add(x);
        }
        categories.add(value);
    }

    /**
     * Numeric when at least one value is a number and at most 1% are not (those become missing values);
     * otherwise free text when values are long on average or too varied to count, else categorical.
     */
    ColumnType inferType() {
        if (numeric.count() > 0 && nonNumeric <= nonMissing / 100) {
            return ColumnType.NUMERIC;
        }
        if (nonMissing > 0 && (lengthSum / nonMissing >= TEXT_MEAN_LENGTH || categories.capped())) {
            return ColumnType.TEXT;
        }
        return ColumnType.CATEGORICAL;
    }
}

package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningOptions.MissingStrategy;
import io.modelyard.dataset.profile.ColumnType;
import java.util.Arrays;
import java.util.List;

/** What the first pass decided for the second: column types, what to impute, outlier bounds. */
final class Decisions {

    final ColumnType[] types;
    final MissingStrategy[] missing;
    final String[] impute;
    final double[] low;
    final double[] high;

    Decisions(int columns) {
        types = new ColumnType[columns];
        missing = new MissingStrategy[columns];
        impute = new String[columns];
        low = new double[columns];
        high = new double[columns];
        Arrays.fill(missing, MissingStrategy.KEEP);
        Arrays.fill(low, Double.NaN);
        Arrays.fill(high, Double.NaN);
    }

    boolean hasBounds(int column) {
        return !Double.isNaN(low[column]);
    }

    List<ColumnType> typeList() {
        return List.of(types);
    }
}

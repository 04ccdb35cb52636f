package io.modelyard.dataset;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.split.SplitOptions;

/**
 * Every option a version was made with, stored with it (and shown as its {@code options}); a re-clean starts
 * from these.
 *
 * @param from      {@code upload} (made from the raw upload) or {@code version} (from another version's rows)
 * @param columnMap the column map as declared (parts left out were guessed; the schema says what was chosen)
 */
record VersionOptions(String from, ColumnMap columnMap, CleaningOptions cleaning, SplitOptions split,
        ParseLimits limits) {
}

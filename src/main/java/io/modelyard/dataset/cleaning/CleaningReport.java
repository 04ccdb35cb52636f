package io.modelyard.dataset.cleaning;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What cleaning changed between the upload and the new version: {@code rowsIn} data rows read,
 * {@code rowsOut} rows in the version, and one {@link CleaningChange} per operation that did anything.
 *
 * <p>Operations: {@code unicode_nfc}, {@code whitespace}, {@code label_normalized}, {@code missing_label},
 * {@code missing_target}, {@code missing_text}, {@code duplicates}, {@code conflicting_labels},
 * {@code non_numeric_as_missing}, {@code missing_values} (per column, with the strategy in {@code detail}),
 * {@code outliers} (per column, bounds in {@code detail}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleaningReport(CleaningOptions options, long rowsIn, long rowsOut, long rowsRemoved,
        List<CleaningChange> changes) {

    public CleaningReport {
        changes = List.copyOf(changes);
    }

    /** The change of one operation (and column, when not null), if it happened. */
    public java.util.Optional<CleaningChange> change(String operation, String column) {
        return changes.stream()
                .filter(c -> c.operation().equals(operation) && java.util.Objects.equals(c.column(), column))
                .findFirst();
    }
}

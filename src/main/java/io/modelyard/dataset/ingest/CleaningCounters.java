package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningChange;
import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningReport;
import io.modelyard.dataset.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.List;

/** What cleaning did, counted per operation and column as rows pass; becomes the {@link CleaningReport}. */
final class CleaningCounters {

    private final DatasetSchema schema;
    final long[] nfc;
    final long[] whitespace;
    long labelNormalized;
    long missingLabel;
    long missingText;
    long duplicates;
    long conflictRows;
    long conflictRowsDropped;
    final long[] nonNumeric;
    final long[] missingImputed;
    final long[] missingDropped;
    final long[] missingKept;
    final String[] missingDetail;
    final long[] outliers;
    final long[] outliersClipped;
    final long[] outliersDropped;
    final String[] outlierDetail;

    CleaningCounters(DatasetSchema schema) {
        this.schema = schema;
        int n = schema.columns().size();
        nfc = new long[n];
        whitespace = new long[n];
        nonNumeric = new long[n];
        missingImputed = new long[n];
        missingDropped = new long[n];
        missingKept = new long[n];
        missingDetail = new String[n];
        outliers = new long[n];
        outliersClipped = new long[n];
        outliersDropped = new long[n];
        outlierDetail = new String[n];
    }

    CleaningReport report(CleaningOptions options, long rowsIn, long rowsOut, int conflictGroups) {
        List<CleaningChange> changes = new ArrayList<>();
        String label = schema.output().name();
        boolean classification = schema.task().isClassification();
        for (int i = 0; i < nfc.length; i++) {
            String column = schema.columns().get(i).name();
            add(changes, "unicode_nfc", column, 0, nfc[i], 0, null);
            add(changes, "whitespace", column, 0, whitespace[i], 0, options.whitespace().id());
        }
        add(changes, "label_normalized", label, 0, labelNormalized, 0,
                "whitespace " + options.whitespace().id() + ", case " + options.labelCase().id());
        add(changes, classification ? "missing_label" : "missing_target", label, missingLabel, 0, 0,
                "rows without a " + (classification ? "label" : "target") + " are left out");
        if (schema.task().hasOneInput()) {
            add(changes, "missing_text", schema.columns().get(0).name(), missingText, 0, 0,
                    "rows without text are left out");
        }
        add(changes, "duplicates", null, options.dropDuplicates() ? duplicates : 0, 0,
                options.dropDuplicates() ? 0 : duplicates, options.dropDuplicates() ? "removed" : "kept");
        if (conflictRows > 0) {
            add(changes, "conflicting_labels", label, conflictRowsDropped, 0,
                    options.conflicts() == CleaningOptions.ConflictAction.DROP ? 0 : conflictRows,
                    conflictGroups + " inputs appear with more than one " + (classification ? "label" : "target")
                            + (options.conflicts() == CleaningOptions.ConflictAction.DROP ? "; all their rows removed"
                                    : "; flagged, kept"));
        }
        for (int i = 0; i < nfc.length; i++) {
            String column = schema.columns().get(i).name();
            add(changes, "non_numeric_as_missing", column, 0, nonNumeric[i], 0, "values that are not numbers in a "
                    + "numeric column become missing values");
            add(changes, "missing_values", column, missingDropped[i], missingImputed[i], missingKept[i],
                    missingDetail[i]);
            add(changes, "outliers", column, outliersDropped[i], outliersClipped[i],
                    outliers[i] - outliersClipped[i] - outliersDropped[i], outlierDetail[i]);
        }
        return new CleaningReport(options, rowsIn, rowsOut, rowsIn - rowsOut, changes);
    }

    private static void add(List<CleaningChange> changes, String operation, String column, long removed,
            long changed, long flagged, String detail) {
        if (removed > 0 || changed > 0 || flagged > 0) {
            changes.add(new CleaningChange(operation, column, removed, changed, flagged, detail));
        }
    }
}

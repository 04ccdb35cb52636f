package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.cleaning.CleaningChange;
import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningOptions.ConflictAction;
import io.modelyard.dataset.cleaning.CleaningOptions.LabelCase;
import io.modelyard.dataset.cleaning.CleaningOptions.Missing;
import io.modelyard.dataset.cleaning.CleaningOptions.OutlierAction;
import io.modelyard.dataset.cleaning.CleaningOptions.Outliers;
import io.modelyard.dataset.cleaning.CleaningReport;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.version.VersionRow;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobIntegrityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each cleaning operation on small hand-built data. */
class CleaningTest {

    /** Feature a: 1, 2, 3, -, 5; b: 10, -, 30, 40, 50; color: red, blue, -, red, red. */
    static final String MISSING = "a,b,color,y\n"
            + "1,10,red,1.0\n"
            + "2,,blue,2.0\n"
            + "3,30,,3.0\n"
            + ",40,red,4.0\n"
            + "5,50,red,5.0\n";

    @TempDir
    Path dir;
    PipelineFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PipelineFixture(dir);
    }

    private IngestResult regression(String csv, CleaningOptions cleaning) throws IOException {
        return fixture.ingest(csv, TaskType.TABULAR_REGRESSION, null, IngestOptions.DEFAULTS.withCleaning(cleaning));
    }

    private List<List<String>> values(IngestResult result) throws IOException {
        return fixture.rows(result.version()).stream().map(VersionRow::values).toList();
    }

    @Test
    void missingValuesByDefaultTakeTheMedianOrTheMode() throws IOException {
        IngestResult result = regression(MISSING, CleaningOptions.DEFAULTS);
        assertEquals(List.of(ColumnType.NUMERIC, ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.NUMERIC),
                result.columnTypes());
        assertEquals(List.of(
                List.of("1", "10", "red", "1.0"),
                List.of("2", "35", "blue", "2.0"), // median of 10, 30, 40, 50
                List.of("3", "30", "red", "3.0"), // mode
                List.of("2.5", "40", "red", "4.0"), // median of 1, 2, 3, 5
                List.of("5", "50", "red", "5.0")), values(result));
        CleaningChange a = result.cleaning().change("missing_values", "a").orElseThrow();
        assertEquals(1, a.valuesChanged());
        assertEquals("median 2.5", a.detail());
        assertEquals("mode red", result.cleaning().change("missing_values", "color").orElseThrow().detail());
    }

    @Test
    void everyMissingValueStrategyPerColumn() throws IOException {
        CleaningOptions options = CleaningOptions.DEFAULTS.withMissing(Missing.KEEP, Map.of(
                "a", Missing.MEAN, "color", Missing.constant("unknown")));
        assertEquals(List.of(
                List.of("1", "10", "red", "1.0"),
                List.of("2", "", "blue", "2.0"),
                List.of("3", "30", "unknown", "3.0"),
                List.of("2.75", "40", "red", "4.0"),
                List.of("5", "50", "red", "5.0")), values(regression(MISSING, options)));

        IngestResult dropped = regression(MISSING, CleaningOptions.DEFAULTS.withMissing(Missing.KEEP,
                Map.of("a", Missing.DROP_ROW, "b", Missing.MODE)));
        assertEquals(List.of("1.0", "2.0", "3.0", "5.0"), fixture.column(dropped.version(), 3));
        assertEquals("10", fixture.column(dropped.version(), 1).get(1), "mode of 10, 30, 40, 50: smallest of the tie");
        CleaningReport report = dropped.cleaning();
        assertEquals(1, report.change("missing_values", "a").orElseThrow().rowsRemoved());
        assertEquals(1, report.rowsRemoved());
        assertEquals(1, report.change("missing_values", "color").orElseThrow().rowsFlagged(), "kept missing");
    }

    @Test
    void meanOfACategoricalColumnFallsBackToTheMode() throws IOException {
        IngestResult result = regression(MISSING, CleaningOptions.DEFAULTS.withMissing(Missing.AUTO,
                Map.of("color", Missing.MEAN)));
        assertEquals("red", fixture.column(result.version(), 2).get(2));
        assertTrue(result.cleaning().change("missing_values", "color").orElseThrow().detail()
                .contains("needs a numeric column"));
    }

    /** x = 1..20 and one 1000; y = 2x. */
    private static String outlierCsv() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int x = 1; x <= 20; x++) {
            csv.append(x).append(',').append(2 * x).append('\n');
        }
        return csv.append("1000,7\n").toString();
    }

    @Test
    void iqrOutliersAreReportedClippedOrDropped() throws IOException {
        // Q1 = 6, Q3 = 16 (linear interpolation over 21 values): bounds 6 - 15 = -9 and 16 + 15 = 31.
        IngestResult kept = regression(outlierCsv(), CleaningOptions.DEFAULTS);
        CleaningChange flagged = kept.cleaning().change("outliers", "x").orElseThrow();
        assertEquals(1, flagged.rowsFlagged());
        assertEquals("iqr 1.5: outside [-9, 31], keep", flagged.detail());
        assertEquals("1000", fixture.column(kept.version(), 0).get(20));

        IngestResult clipped = regression(outlierCsv(),
                CleaningOptions.DEFAULTS.withOutliers(Outliers.iqr(OutlierAction.CLIP, 1.5)));
        assertEquals("31", fixture.column(clipped.version(), 0).get(20));
        assertEquals(1, clipped.cleaning().change("outliers", "x").orElseThrow().valuesChanged());

        IngestResult dropped = regression(outlierCsv(),
                CleaningOptions.DEFAULTS.withOutliers(Outliers.iqr(OutlierAction.DROP, 1.5)));
        assertEquals(20, dropped.profile().rows());
        assertEquals(20, dropped.profile().column("x").numeric().max());
    }

    @Test
    void zScoreOutliers() throws IOException {
        // mean 57.6, sample std 216: 1000 is 4.4 deviations out; every other value within 0.3.
        IngestResult result = regression(outlierCsv(),
                CleaningOptions.DEFAULTS.withOutliers(Outliers.zscore(OutlierAction.DROP, 3)));
        assertEquals(20, result.profile().rows());
        assertEquals(1, result.cleaning().change("outliers", "x").orElseThrow().rowsRemoved());
        assertTrue(result.cleaning().change("outliers", "y").isEmpty(), "targets are left alone by default");
    }

    @Test
    void exactDuplicatesAreRemovedAfterNormalization() throws IOException {
        String csv = "x,color,label\n1,red,a\n1, red ,a\n2,blue,b\n1,red,a\n2,blue,a\n";
        IngestResult result = fixture.ingest(csv, TaskType.TABULAR_CLASSIFICATION, null, IngestOptions.DEFAULTS);
        assertEquals(List.of(List.of("1", "red", "a"), List.of("2", "blue", "b"), List.of("2", "blue", "a")),
                values(result));
        assertEquals(2, result.cleaning().change("duplicates", null).orElseThrow().rowsRemoved());
        assertEquals(1, result.cleaning().change("whitespace", "color").orElseThrow().valuesChanged());

        IngestResult kept = fixture.ingest(csv, TaskType.TABULAR_CLASSIFICATION, null,
                IngestOptions.DEFAULTS.withCleaning(CleaningOptions.DEFAULTS.withDropDuplicates(false)));
        assertEquals(5, kept.profile().rows());
        assertEquals(2, kept.profile().duplicateRows());
        assertEquals(2, kept.cleaning().change("duplicates", null).orElseThrow().rowsFlagged());
    }

    @Test
    void conflictingLabelsAreFlaggedOrDropped() throws IOException {
        String csv = "text,label\nsame words,pos\nother,neg\nsame words,neg\nthird,pos\nsame   words,pos\n";
        IngestResult flagged = fixture.text(csv);
        assertEquals(4, flagged.profile().rows(), "the repeated (same words, pos) is a duplicate");
        CleaningChange change = flagged.cleaning().change("conflicting_labels", "label").orElseThrow();
        assertEquals(2, change.rowsFlagged());
        assertEquals(0, change.rowsRemoved());
        assertEquals(1, flagged.validation().total(Reasons.CONFLICTING_LABELS));
        assertTrue(flagged.validation().issues().stream().anyMatch(i -> i.reason().equals(Reasons.CONFLICTING_LABELS)
                && i.row() == 4 && i.message().contains("'pos'")));

        IngestResult dropped = fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS
                .withCleaning(CleaningOptions.DEFAULTS.withConflicts(ConflictAction.DROP)));
        assertEquals(List.of("other", "third"), fixture.column(dropped.version(), 0));
        assertEquals(2, dropped.cleaning().change("conflicting_labels", "label").orElseThrow().rowsRemoved());
        assertEquals(3, dropped.cleaning().rowsRemoved());
    }

    @Test
    void labelsAreTrimmedAndCaseFoldedOnRequest() throws IOException {
        String csv = "text,label\na, Positive\nb,positive\nc,POSITIVE \nd,negative\n";
        IngestResult kept = fixture.text(csv);
        assertEquals(4, kept.profile().labels().labels().size(), "case is kept by default: Positive, positive, "
                + "POSITIVE (trimmed) and negative");

        IngestResult folded = fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS
                .withCleaning(CleaningOptions.DEFAULTS.withLabelCase(LabelCase.LOWER)));
        assertEquals(List.of("positive", "positive", "positive", "negative"), fixture.column(folded.version(), 1));
        assertEquals(2, folded.cleaning().change("label_normalized", "label").orElseThrow().valuesChanged());
    }

    @Test
    void unicodeAndWhitespaceNormalizationCanBeTurnedOff() throws IOException {
        String csv = "text,label\ncafe\u0301  bar,a\nplain,b\n";
        assertEquals("café bar", fixture.column(fixture.text(csv).version(), 0).get(0));
        IngestResult raw = fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS.withCleaning(
                CleaningOptions.DEFAULTS.withUnicodeNfc(false).withWhitespace(CleaningOptions.Whitespace.KEEP)));
        assertEquals("cafe\u0301  bar", fixture.column(raw.version(), 0).get(0));
        assertTrue(raw.cleaning().changes().isEmpty());
    }

    @Test
    void nonNumbersInANumericColumnBecomeMissingWithAWarning() throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i % 10).append(',').append(i).append('\n');
        }
        csv.append("oops,200\n");
        IngestResult result = regression(csv.toString(), CleaningOptions.DEFAULTS);
        assertEquals(ColumnType.NUMERIC, result.columnTypes().get(0));
        assertEquals("4.5", fixture.column(result.version(), 0).get(200), "median of 0..9 repeated");
        assertEquals(1, result.cleaning().change("non_numeric_as_missing", "x").orElseThrow().valuesChanged());
        assertTrue(result.validation().issues().stream().anyMatch(i -> i.reason().equals(Reasons.NON_NUMERIC_VALUES)
                && i.row() == 202));
    }

    @Test
    void reCleaningMakesANewVersionAndLeavesTheRawUploadAlone() throws IOException {
        IngestResult first = fixture.text(TextIngestTest.UPLOAD);
        BlobInfo raw = first.raw();
        byte[] rawBefore = Files.readAllBytes(fixture.store.pathOf(raw.key()));

        IngestResult second = fixture.pipeline.clean(new CleanRequest(raw, first.source(),
                TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS.withCleaning(
                        CleaningOptions.DEFAULTS.withDropDuplicates(false)), "tenants/ten_t/datasets/ds_1/dsv_2/data.csv"));
        assertEquals(raw, second.raw());
        assertEquals(7, second.profile().rows(), "the duplicate is kept this time");
        assertEquals(6, fixture.rows(first.version()).size(), "the first version is unchanged");
        assertEquals("tenants/ten_t/datasets/ds_1/dsv_2/data.csv", second.version().key());
        assertTrue(java.util.Arrays.equals(rawBefore, Files.readAllBytes(fixture.store.pathOf(raw.key()))));
    }

    @Test
    void reCleaningACorruptedUploadFailsAndStoresNothing() throws IOException {
        IngestResult first = fixture.text(TextIngestTest.UPLOAD);
        Files.writeString(fixture.store.pathOf(first.raw().key()), TextIngestTest.UPLOAD.replace("Love", "Hate"));
        String key = "tenants/ten_t/datasets/ds_1/dsv_9/data.csv";
        assertThrows(BlobIntegrityException.class, () -> fixture.pipeline.clean(new CleanRequest(first.raw(),
                first.source(), TaskType.TEXT_CLASSIFICATION, null, null, key)));
        assertFalse(fixture.store.exists(key));
    }

    @Test
    void aProcessedVersionCanBeCleanedAgainWithItsSplits() throws IOException {
        IngestResult first = fixture.text(TextIngestTest.UPLOAD);
        IngestResult again = fixture.pipeline.clean(new CleanRequest(first.version(), SourceFormat.csv(),
                TaskType.TEXT_CLASSIFICATION, ColumnMap.GUESS, null, "tenants/ten_t/datasets/ds_1/dsv_3/data.csv"));
        assertEquals("__split", again.schema().splitColumn());
        assertEquals(fixture.rows(first.version()), fixture.rows(again.version()));
    }
}

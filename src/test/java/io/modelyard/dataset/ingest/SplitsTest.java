package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.profile.LabelCount;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.split.SplitCounts;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.dataset.version.VersionRow;
import io.modelyard.model.spec.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsTest {

    @TempDir
    Path dir;
    PipelineFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PipelineFixture(dir);
    }

    /** 1,000 distinct texts in three imbalanced classes (about 60/30/10). */
    private static String dataset() {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 1000; i++) {
            int roll = random.nextInt(10);
            csv.append("review number ").append(i).append(',').append(roll < 6 ? "pos" : roll < 9 ? "neg" : "neu")
                    .append('\n');
        }
        return csv.toString();
    }

    private IngestResult ingest(String csv, SplitOptions split) throws IOException {
        return fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS.withSplit(split));
    }

    @Test
    void theSameSeedGivesTheSameRowsInEachSplit() throws IOException {
        String csv = dataset();
        IngestResult first = ingest(csv, SplitOptions.DEFAULTS.withSeed(7));
        List<VersionRow> firstRows = fixture.rows(first.version());
        IngestResult again = ingest(csv, SplitOptions.DEFAULTS.withSeed(7));
        assertEquals(firstRows, fixture.rows(again.version()));
        assertEquals(first.version().sha256(), again.version().sha256());

        IngestResult other = ingest(csv, SplitOptions.DEFAULTS.withSeed(8));
        assertNotEquals(first.version().sha256(), other.version().sha256());
        // Another seed draws other rows in the same proportions: each label within one row of exact, so the
        // totals of three labels within three rows.
        assertTrue(Math.abs(first.splits().train() - other.splits().train()) <= 3, other.splits().toString());
        assertTrue(Math.abs(first.splits().test() - other.splits().test()) <= 3, other.splits().toString());
    }

    @Test
    void everyLabelsSharesAreWithinOneRowOfExact() throws IOException {
        SplitOptions options = SplitOptions.DEFAULTS.withShares(0.7, 0.2, 0.1).withSeed(3);
        IngestResult result = ingest(dataset(), options);
        long[][] counted = new long[3][3];
        List<String> labels = List.of("pos", "neg", "neu");
        for (VersionRow row : fixture.rows(result.version())) {
            counted[labels.indexOf(row.values().get(1))][row.split().ordinal()]++;
        }
        double[] shares = {0.7, 0.2, 0.1};
        for (int label = 0; label < 3; label++) {
            long n = counted[label][0] + counted[label][1] + counted[label][2];
            assertTrue(n > 50);
            for (int split = 0; split < 3; split++) {
                assertTrue(Math.abs(counted[label][split] - n * shares[split]) <= 1.0,
                        labels.get(label) + " in " + Split.ofOrdinal(split) + ": " + counted[label][split] + " of " + n);
            }
        }
        // The profile reports the same counts.
        for (LabelCount count : result.profile().labels().labels()) {
            int label = labels.indexOf(count.label());
            assertEquals(List.of(counted[label][0], counted[label][1], counted[label][2]),
                    List.of(count.train(), count.validation(), count.test()));
        }
    }

    @Test
    void splitsCanComeFromTheTenantsColumn() throws IOException {
        String csv = "text,label,split\na,pos,train\nb,neg,TRAIN\nc,pos,val\nd,neg,validation\ne,pos,test\n";
        IngestResult result = ingest(csv, SplitOptions.DEFAULTS);
        assertEquals("split", result.schema().splitColumn());
        assertEquals(List.of(Split.TRAIN, Split.TRAIN, Split.VALIDATION, Split.VALIDATION, Split.TEST),
                fixture.rows(result.version()).stream().map(VersionRow::split).toList());
        assertEquals(new SplitCounts(2, 2, 1), result.splits());
        assertEquals(List.of("text", "label"), result.schema().columnNames(), "the split column is not data");
    }

    @Test
    void drawingIgnoresATenantsColumnWhenAsked() throws IOException {
        String csv = "text,label,split\na,pos,train\nb,neg,train\nc,pos,train\nd,neg,train\n";
        IngestResult result = ingest(csv, SplitOptions.DEFAULTS.withSource(SplitOptions.Source.DRAW));
        assertEquals(null, result.schema().splitColumn());
        assertEquals(List.of("split"), result.schema().ignoredColumns());
    }

    @Test
    void identicalInputsInDifferentSplitsAreCountedAsLeaks() throws IOException {
        String csv = "text,label,split\nsame,pos,train\nsame,neg,test\nsame,pos,test\nother,neg,train\n"
                + "another,pos,train\n";
        IngestResult flagged = fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null,
                IngestOptions.DEFAULTS.withCleaning(CleaningOptions.DEFAULTS.withDropDuplicates(false)));
        // Rows 3 and 4 repeat the input of row 2 in another split.
        assertEquals(2, flagged.profile().leakingRows());
        assertEquals(1, flagged.profile().duplicateRows());
        assertEquals(2, flagged.validation().total(Reasons.SPLIT_LEAKAGE));

        IngestResult dropped = fixture.ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS
                .withCleaning(CleaningOptions.DEFAULTS.withConflicts(CleaningOptions.ConflictAction.DROP)));
        assertEquals(0, dropped.profile().leakingRows());
        assertEquals(2, dropped.profile().rows());
    }

    @Test
    void regressionIsSplitWithoutStrata() throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(',').append(i * 0.5).append('\n');
        }
        IngestResult result = fixture.ingest(csv.toString(), TaskType.TABULAR_REGRESSION, null, IngestOptions.DEFAULTS);
        assertEquals(new SplitCounts(80, 10, 10), result.splits());
    }
}

package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.cleaning.CleaningChange;
import io.modelyard.dataset.cleaning.CleaningReport;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.profile.ColumnProfile;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.profile.LabelCount;
import io.modelyard.dataset.quality.Issue;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.quality.Severity;
import io.modelyard.dataset.quality.ValidationReport;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextIngestTest {

    static final String UPLOAD = "text,label\r\n"
            + "Great phone,pos\r\n"
            + "\"Bad, very bad\",neg\r\n"
            + "Great phone,pos\r\n"
            + "  Okay   I guess ,neu\r\n"
            + "No label here,\r\n"
            + ",pos\r\n"
            + "cafe\u0301 was nice,pos\r\n"
            + "Love it,pos\r\n"
            + "Hate it,neg\r\n";

    @TempDir
    Path dir;
    PipelineFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PipelineFixture(dir);
    }

    @Test
    void rawUploadIsStoredExactlyWithItsDigest() throws IOException {
        IngestResult result = fixture.text(UPLOAD);
        byte[] bytes = UPLOAD.getBytes(StandardCharsets.UTF_8);
        assertEquals(PipelineFixture.RAW, result.raw().key());
        assertEquals(bytes.length, result.raw().size());
        assertEquals(Sha256.of(bytes), result.raw().sha256());
        assertEquals(UPLOAD, fixture.content(result.raw()));
        assertEquals(new SourceFormat(DatasetFormat.CSV, ','), result.source());
    }

    @Test
    void versionHoldsTheCleanedRowsInUploadOrderWithSplits() throws IOException {
        IngestResult result = fixture.text(UPLOAD);
        assertEquals(List.of("Great phone", "Bad, very bad", "Okay I guess", "café was nice", "Love it", "Hate it"),
                fixture.column(result.version(), 0));
        assertEquals(List.of("pos", "neg", "neu", "pos", "pos", "neg"), fixture.column(result.version(), 1));
        assertTrue(fixture.content(result.version()).startsWith("text,label,__split\n"));
        assertEquals(6, result.splits().total());
        assertEquals(List.of(ColumnType.TEXT, ColumnType.CATEGORICAL), result.columnTypes());
    }

    @Test
    void validationListsEveryDroppedRowWithItsReason() throws IOException {
        ValidationReport validation = fixture.text(UPLOAD).validation();
        assertEquals(ValidationReport.Status.VALID_WITH_WARNINGS, validation.status());
        assertEquals(9, validation.rowsRead());
        assertEquals(6, validation.rowsAccepted());
        assertEquals(0, validation.errorCount());
        assertEquals(1, validation.total(Reasons.DUPLICATE_ROW));
        assertEquals(1, validation.total(Reasons.MISSING_LABEL));
        assertEquals(1, validation.total(Reasons.MISSING_TEXT));
        assertTrue(validation.issues().contains(new Issue(Severity.WARNING, Reasons.DUPLICATE_ROW, 4L, null,
                "Same as an earlier row; removed.")));
        Issue missingLabel = validation.issues().stream().filter(i -> i.reason().equals(Reasons.MISSING_LABEL))
                .findFirst().orElseThrow();
        assertEquals(6L, missingLabel.row());
        assertEquals("label", missingLabel.column());
        Issue missingText = validation.issues().stream().filter(i -> i.reason().equals(Reasons.MISSING_TEXT))
                .findFirst().orElseThrow();
        assertEquals(7L, missingText.row());
    }

    @Test
    void cleaningReportAccountsForEveryRemovedRow() throws IOException {
        CleaningReport cleaning = fixture.text(UPLOAD).cleaning();
        assertEquals(9, cleaning.rowsIn());
        assertEquals(6, cleaning.rowsOut());
        assertEquals(3, cleaning.rowsRemoved());
        assertEquals(cleaning.rowsRemoved(), cleaning.changes().stream().mapToLong(CleaningChange::rowsRemoved).sum());
        assertEquals(1, cleaning.change("unicode_nfc", "text").orElseThrow().valuesChanged());
        assertEquals(1, cleaning.change("whitespace", "text").orElseThrow().valuesChanged());
        assertEquals(1, cleaning.change("duplicates", null).orElseThrow().rowsRemoved());
        assertEquals(1, cleaning.change("missing_label", "label").orElseThrow().rowsRemoved());
        assertEquals(1, cleaning.change("missing_text", "text").orElseThrow().rowsRemoved());
    }

    @Test
    void profileHasHandCheckedNumbers() throws IOException {
        DatasetProfile profile = fixture.text(UPLOAD).profile();
        assertEquals(6, profile.rows());
        assertEquals(2, profile.columns());
        assertEquals(0, profile.duplicateRows());
        assertEquals(0, profile.leakingRows());
        ColumnProfile text = profile.column("text");
        assertEquals(0, text.missing());
        // Lengths 11, 13, 12, 13, 7, 7 characters ("café" is 4) and 2, 3, 3, 3, 2, 2 tokens.
        assertEquals(7, text.text().characters().min());
        assertEquals(13, text.text().characters().max());
        assertEquals(10.5, text.text().characters().mean(), 1e-12);
        assertEquals(11.5, text.text().characters().quantiles().p50(), 1e-12);
        assertEquals(2.5, text.text().tokens().mean(), 1e-12);
        assertEquals(3, text.text().tokens().max());
        List<LabelCount> labels = profile.labels().labels();
        assertEquals(List.of("pos", "neg", "neu"), labels.stream().map(LabelCount::label).toList());
        assertEquals(List.of(3L, 2L, 1L), labels.stream().map(LabelCount::count).toList());
        assertEquals(0.5, labels.get(0).share(), 1e-12);
        assertEquals(3.0, profile.labels().imbalanceRatio(), 1e-12);
        for (LabelCount label : labels) {
            assertEquals(label.count(), label.train() + label.validation() + label.test());
        }
        ColumnProfile label = profile.column("label");
        assertEquals(3, label.categorical().distinct());
        assertNull(label.text());
    }

    @Test
    void semicolonFilesAndJsonLinesWorkTheSame() throws IOException {
        IngestResult csv = fixture.ingest(UPLOAD.replace(',', ';').replace("\"Bad; very bad\"", "\"Bad, very bad\""),
                TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS);
        assertEquals(';', csv.source().delimiter());
        assertEquals(6, csv.profile().rows());

        String jsonl = "{\"text\":\"Great phone\",\"label\":\"pos\"}\n"
                + "{\"text\":\"Bad, very bad\",\"label\":\"neg\"}\n"
                + "{\"text\":\"Great phone\",\"label\":\"pos\"}\n"
                + "{\"label\":\"neg\"}\n"
                + "{\"text\":\"Hate it\",\"label\":\"neg\",\"stars\":1}\n";
        IngestResult json = fixture.ingest(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)),
                SourceFormat.jsonl(), TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS, Long.MAX_VALUE);
        assertEquals(List.of("Great phone", "Bad, very bad", "Hate it"), fixture.column(json.version(), 0));
        assertEquals(5, json.validation().rowsRead());
        assertEquals(1, json.validation().total(Reasons.MISSING_TEXT));
        assertEquals(1, json.validation().total(Reasons.IGNORED_FIELDS));
    }

    @Test
    void aOneMebibyteTextFieldIsAccepted() throws IOException {
        String big = "word ".repeat((1 << 20) / 5 - 1) + "last";
        assertTrue(big.length() <= 1 << 20);
        IngestResult result = fixture.text("text,label\n" + big + ",pos\nshort,neg\n");
        assertEquals(big.length(), fixture.column(result.version(), 0).get(0).length());
        assertEquals(big.length(), result.profile().column("text").text().characters().max());
    }

    @Test
    void generatedBenchmarkDataIsRealistic() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.modelyard.dataset.TextDatasetGenerator.write(out, 5000, 3);
        byte[] csv = out.toByteArray();
        assertEquals(100, csv.length / 5000, 15, "about 100 bytes a row");
        IngestResult result = fixture.ingest(new ByteArrayInputStream(csv), SourceFormat.csv(),
                TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS, Long.MAX_VALUE);
        assertEquals(5000, result.validation().rowsRead());
        assertEquals(3, result.profile().labels().labels().size());
        assertTrue(result.validation().total(Reasons.DUPLICATE_ROW) > 50);
        assertTrue(result.validation().total(Reasons.MISSING_LABEL) >= 1);
        assertTrue(result.cleaning().change("unicode_nfc", "text").isEmpty(), "generated text is NFC already");
    }
}

package io.modelyard.portal.datasets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetView;
import io.modelyard.dataset.cleaning.CleaningChange;
import io.modelyard.dataset.profile.ColumnProfile;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.profile.Histogram;
import io.modelyard.dataset.profile.LabelCount;
import io.modelyard.dataset.quality.ValidationReport;
import io.modelyard.portal.ChartSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A dataset version as its page shows it: the reports read back from the version's JSON into the dataset
 * package's own records, and the charts drawn from them.
 */
public record VersionReport(DatasetView dataset, DatasetVersionView version, ValidationReport validation,
        Cleaning cleaning, DatasetProfile profile, String labelChart, List<NamedChart> histograms,
        List<String> warnings) {

    /** Whether the version's rows are images (an id and a label each); the page then speaks of images. */
    public boolean images() {
        return dataset.task().isImage();
    }

    /** Imbalance (largest class / smallest) from which the page warns, as validation does. */
    static final double IMBALANCE_WARNING = 10;
    private static final int MAX_HISTOGRAMS = 8;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What cleaning did. */
    public record Cleaning(long rowsIn, long rowsOut, long rowsRemoved, List<CleaningChange> changes) {
    }

    /** A chart with a title, e.g. one numeric column's histogram. */
    public record NamedChart(String title, String json) {
    }

    static VersionReport of(DatasetView dataset, DatasetVersionView version) {
        ValidationReport validation = read(version.validation(), ValidationReport.class);
        DatasetProfile profile = read(version.profile(), DatasetProfile.class);
        Cleaning cleaning = cleaning(version.cleaning());
        List<String> warnings = new ArrayList<>();
        String labelChart = null;
        List<NamedChart> histograms = new ArrayList<>();
        if (profile != null) {
            if (profile.labels() != null && !profile.labels().labels().isEmpty()) {
                labelChart = labelChart(profile.labels().labels()).json();
                if (profile.labels().imbalanceRatio() >= IMBALANCE_WARNING) {
                    warnings.add(String.format(Locale.ROOT, "Imbalanced labels: the largest class is %.1f× the "
                            + "smallest. Accuracy will flatter the model; read the per-class recall.",
                            profile.labels().imbalanceRatio()));
                }
            }
            if (profile.leakingRows() > 0) {
                warnings.add("Leakage: " + profile.leakingRows() + " rows have the same inputs as a row in another "
                        + "split, so the evaluation would test on inputs the model trained on. Re-clean with "
                        + "duplicates dropped.");
            }
            if (profile.duplicateRows() > 0) {
                warnings.add(profile.duplicateRows() + " rows repeat an earlier row.");
            }
            for (ColumnProfile column : profile.columnProfiles()) {
                if (histograms.size() < MAX_HISTOGRAMS && column.numeric() != null
                        && column.numeric().histogram() != null && !column.numeric().histogram().bins().isEmpty()) {
                    histograms.add(new NamedChart(column.name(), histogram(column.numeric().histogram()).json()));
                }
            }
        }
        return new VersionReport(dataset, version, validation, cleaning, profile, labelChart, histograms, warnings);
    }

    private static ChartSpec labelChart(List<LabelCount> labels) {
        List<String> names = labels.stream().map(LabelCount::label).toList();
        return ChartSpec.bar(names, List.of(
                new ChartSpec.Series("train", labels.stream().map(LabelCount::train).toList(), "split", null),
                new ChartSpec.Series("validation", labels.stream().map(LabelCount::validation).toList(), "split",
                        null),
                new ChartSpec.Series("test", labels.stream().map(LabelCount::test).toList(), "split", null)),
                "label", "rows").stackedBars();
    }

    private static ChartSpec histogram(Histogram histogram) {
        List<String> bins = histogram.bins().stream()
                .map(b -> String.format(Locale.ROOT, "%.3g–%.3g", b.lower(), b.upper())).toList();
        return ChartSpec.bar(bins, List.of(ChartSpec.Series.of("rows",
                histogram.bins().stream().map(Histogram.Bin::count).toList())), null, "rows");
    }

    private static Cleaning cleaning(JsonNode node) {
        if (node == null || node.isNull() || node.isEmpty()) {
            return null;
        }
        List<CleaningChange> changes = JSON.convertValue(node.path("changes"), new TypeReference<>() { });
        return new Cleaning(node.path("rows_in").asLong(), node.path("rows_out").asLong(),
                node.path("rows_removed").asLong(), changes == null ? List.of() : changes);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        if (node == null || node.isNull() || node.isEmpty()) {
            return null;
        }
        return JSON.convertValue(node, type);
    }
}

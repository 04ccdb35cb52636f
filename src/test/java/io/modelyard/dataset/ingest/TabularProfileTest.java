package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.profile.ColumnProfile;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.profile.NumericSummary;
import io.modelyard.dataset.profile.ValueCount;
import io.modelyard.dataset.schema.ColumnRole;
import io.modelyard.model.spec.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularProfileTest {

    @TempDir
    Path dir;

    @Test
    void profileNumbersMatchHandComputedValues() throws IOException {
        PipelineFixture fixture = new PipelineFixture(dir);
        String csv = "age,city,income,notes,label\n"
                + "30,Paris,100,first customer who called about a delayed order,yes\n"
                + "40,Lyon,,second customer who asked for a refund last week,no\n"
                + "50,Paris,300,,yes\n"
                + "60,Nice,400,fourth customer with a long complaint about billing,no\n";
        IngestOptions keepMissing = IngestOptions.DEFAULTS.withCleaning(
                CleaningOptions.DEFAULTS.withMissing(CleaningOptions.Missing.KEEP, Map.of()));
        IngestResult result = fixture.ingest(csv, TaskType.TABULAR_CLASSIFICATION, null, keepMissing);
        DatasetProfile profile = result.profile();
        assertEquals(4, profile.rows());
        assertEquals(5, profile.columns());
        assertEquals(List.of(ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.NUMERIC, ColumnType.TEXT,
                ColumnType.CATEGORICAL), result.columnTypes());

        NumericSummary age = profile.column("age").numeric();
        assertEquals(30, age.min());
        assertEquals(60, age.max());
        assertEquals(45, age.mean(), 1e-12);
        assertEquals(Math.sqrt(500.0 / 3), age.std(), 1e-12); // deviations 15, 5, 5, 15
        assertEquals(31.5, age.quantiles().p05(), 1e-12);
        assertEquals(37.5, age.quantiles().p25(), 1e-12);
        assertEquals(45, age.quantiles().p50(), 1e-12);
        assertEquals(52.5, age.quantiles().p75(), 1e-12);
        assertEquals(58.5, age.quantiles().p95(), 1e-12);

        ColumnProfile income = profile.column("income");
        assertEquals(1, income.missing());
        assertEquals(800.0 / 3, income.numeric().mean(), 1e-9);
        assertEquals(3, income.numeric().count());

        ColumnProfile city = profile.column("city");
        assertEquals(ColumnRole.FEATURE, city.role());
        assertEquals(3, city.categorical().distinct());
        assertEquals(new ValueCount("Paris", 2), city.categorical().top().get(0));
        assertNull(city.numeric());

        ColumnProfile notes = profile.column("notes");
        assertEquals(1, notes.missing());
        assertEquals(8, notes.text().tokens().min());
        assertEquals(9, notes.text().tokens().max());

        assertEquals(1.0, profile.labels().imbalanceRatio(), 1e-12);
        assertEquals(ColumnRole.LABEL, profile.column("label").role());
    }
}

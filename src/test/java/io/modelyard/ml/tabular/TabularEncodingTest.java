package io.modelyard.ml.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.EngineSetup;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.FeatureKind;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingDataException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabularEncodingTest {

    private static final List<FeatureColumn> COLUMNS = List.of(new FeatureColumn("income", FeatureKind.NUMERIC),
            new FeatureColumn("region", FeatureKind.CATEGORICAL), new FeatureColumn("debt", FeatureKind.NUMERIC));

    /** The training split encoded while fitting (each cell parsed once) equals the split encoded afterwards. */
    @Test
    void theTrainingRowsEncodedWhileFittingEqualThoseEncodedAfterwards() {
        List<Example> train = List.of(
                Example.tabular(List.of("10", "north", "1.5"), "a"),
                Example.tabular(List.of(" 30 ", "south", ""), "b"),
                Example.tabular(List.of("20", "", "2.5e0"), "a"),
                Example.tabular(List.of("", "north", "0.5"), "b"));
        TabularEncoding.Fitted fitted = TabularEncoding.fitAndEncode(COLUMNS, train);

        FeatureStats.Column income = fitted.encoding().stats().columns().get(0);
        assertEquals(20.0, income.mean(), 1e-12, "the mean of the three incomes given");
        assertEquals(List.of("north", "south"), fitted.encoding().stats().columns().get(1).categories());
        float[] once = values(fitted.train());
        float[] afterwards = values(fitted.encoding().rows(train, "train"));
        assertArrayEquals(afterwards, once);
        // row 2: income (20 - 20) / std = 0, no region, debt standardised; row 3: a missing income is the mean (0)
        assertEquals(4, fitted.encoding().width());
        assertEquals(0f, once[2 * 4], 1e-6);
        assertEquals(0f, once[3 * 4], 1e-6);
        assertArrayEquals(new float[] {0f, 0f}, Arrays.copyOfRange(once, 2 * 4 + 1, 2 * 4 + 3));
    }

    @Test
    void aTrainingCellThatIsNoNumberIsRefusedNamingItsColumnAndRow() {
        List<Example> train = List.of(
                Example.tabular(List.of("10", "north", "1.5"), "a"),
                Example.tabular(List.of("30", "south", "lots"), "b"));
        TrainingDataException refused = assertThrows(TrainingDataException.class,
                () -> TabularEncoding.fitAndEncode(COLUMNS, train));
        assertEquals("debt", refused.field());
        assertEquals("train", refused.split());
        assertEquals(1, refused.row());
    }

    private static float[] values(EncodedRows rows) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            return rows.batch(manager, EncodedRows.inOrder(rows.size()), 0, rows.size()).head().toFloatArray();
        }
    }
}

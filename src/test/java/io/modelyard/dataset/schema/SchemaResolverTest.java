package io.modelyard.dataset.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.format.Problems;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.model.spec.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaResolverTest {

    private static DatasetSchema resolve(TaskType task, List<String> header, ColumnMap map) {
        return SchemaResolver.resolve(task, header, map, true).schema();
    }

    private static List<String> names(DatasetSchema schema) {
        return schema.columnNames();
    }

    @Test
    void textColumnsAreGuessedByName() {
        DatasetSchema schema = resolve(TaskType.TEXT_CLASSIFICATION, List.of("id", "Review", "Sentiment", "date"), null);
        assertEquals(List.of("Review", "Sentiment"), names(schema));
        assertEquals(List.of(ColumnRole.TEXT, ColumnRole.LABEL), schema.columns().stream().map(SchemaColumn::role).toList());
        assertEquals(1, schema.columns().get(0).sourceIndex());
        assertEquals(List.of("id", "date"), schema.ignoredColumns());
    }

    @Test
    void withTwoColumnsTheOtherOneIsTheOtherPart() {
        assertEquals(List.of("tweet", "mood"), names(resolve(TaskType.TEXT_CLASSIFICATION, List.of("tweet", "mood"), null)));
        assertEquals(List.of("words", "label"), names(resolve(TaskType.TEXT_CLASSIFICATION, List.of("words", "label"), null)));
    }

    @Test
    void anExplicitMapWinsAndIsCaseInsensitive() {
        DatasetSchema schema = resolve(TaskType.TEXT_CLASSIFICATION, List.of("text", "label", "body", "topic"),
                ColumnMap.text("BODY", "topic"));
        assertEquals(List.of("body", "topic"), names(schema));
    }

    @Test
    void tabularTargetIsNamedOrLastAndFeaturesAreTheRest() {
        DatasetSchema named = resolve(TaskType.TABULAR_CLASSIFICATION, List.of("age", "target", "income"), null);
        assertEquals(List.of("age", "income", "target"), names(named));
        DatasetSchema last = resolve(TaskType.TABULAR_REGRESSION, List.of("rooms", "area", "price"), null);
        assertEquals(List.of("rooms", "area", "price"), names(last));
        assertEquals(ColumnRole.TARGET, last.output().role());
        DatasetSchema explicit = resolve(TaskType.TABULAR_REGRESSION, List.of("id", "rooms", "area", "price"),
                ColumnMap.tabular(List.of("area"), "price"));
        assertEquals(List.of("area", "price"), names(explicit));
        assertEquals(List.of("id", "rooms"), explicit.ignoredColumns());
    }

    @Test
    void ignoredColumnsAreNotFeatures() {
        DatasetSchema schema = resolve(TaskType.TABULAR_REGRESSION, List.of("id", "x", "y"),
                ColumnMap.GUESS.withIgnore(List.of("id")));
        assertEquals(List.of("x", "y"), names(schema));
    }

    @Test
    void splitColumnIsGuessedOrNamed() {
        DatasetSchema guessed = resolve(TaskType.TEXT_CLASSIFICATION, List.of("text", "label", "Split"), null);
        assertEquals("Split", guessed.splitColumn());
        assertEquals(2, guessed.splitSourceIndex());
        DatasetSchema drawn = SchemaResolver.resolve(TaskType.TEXT_CLASSIFICATION, List.of("text", "label", "split"),
                null, false).schema();
        assertNull(drawn.splitColumn());
        DatasetSchema reserved = SchemaResolver.resolve(TaskType.TABULAR_REGRESSION,
                List.of("x", "y", "__split"), ColumnMap.tabular(null, "y"), false).schema();
        assertEquals(List.of("x", "y"), names(reserved), "__split never becomes a feature");
    }

    @Test
    void aMissingColumnNamesWhatIsThere() {
        ProblemException guessed = Problems.expect(DatasetProblem.MISSING_COLUMN,
                () -> resolve(TaskType.TEXT_CLASSIFICATION, List.of("id", "text", "notes"), null));
        assertEquals(List.of("id", "text", "notes"), guessed.extensions().get("available_columns"));
        assertTrue(guessed.detail().contains("column_map.label"), guessed.detail());
        ProblemException named = Problems.expect(DatasetProblem.MISSING_COLUMN,
                () -> resolve(TaskType.TABULAR_REGRESSION, List.of("a", "b"), ColumnMap.tabular(null, "price")));
        assertEquals("price", named.extensions().get("column"));
    }

    @Test
    void headerProblems() {
        Problems.expectAt(DatasetProblem.MISSING_HEADER, 1,
                () -> resolve(TaskType.TABULAR_REGRESSION, List.of("1.5", "2", "-3"), null));
        Problems.expect(DatasetProblem.MISSING_HEADER, () -> resolve(TaskType.TEXT_CLASSIFICATION, List.of("", " "), null));
        Problems.expect(DatasetProblem.DUPLICATE_COLUMN,
                () -> resolve(TaskType.TEXT_CLASSIFICATION, List.of("text", "label", "text"), null));
        Problems.expect(DatasetProblem.INVALID_OPTIONS,
                () -> resolve(TaskType.TEXT_CLASSIFICATION, List.of("text", "label"), ColumnMap.text("text", "text")));
    }

    @Test
    void blankHeaderCellsGetANameAndAreReported() {
        SchemaResolver.Resolution resolution = SchemaResolver.resolve(TaskType.TEXT_CLASSIFICATION,
                List.of("", "text", "label"), null, true);
        assertEquals(List.of("column_1", "text", "label"), resolution.header());
        assertEquals(List.of("column_1"), resolution.renamedColumns());
    }
}

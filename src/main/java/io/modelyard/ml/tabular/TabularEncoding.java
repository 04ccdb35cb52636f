package io.modelyard.ml.tabular;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.modelyard.ml.BatchArrays;
import io.modelyard.ml.EncodedRows;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.FeatureKind;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingDataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature columns to one float vector, fitted on the training split only: numeric columns are standardised with
 * the training mean and standard deviation (a missing value becomes the mean, i.e. 0); categorical columns are
 * one-hot over their {@value #MAX_CATEGORIES} most frequent training values (an unseen or missing value is all
 * zeros). Shared by training and serving. Immutable and thread-safe.
 */
public final class TabularEncoding {

    public static final int MAX_CATEGORIES = 100;

    private final FeatureStats stats;
    private final int[] offsets;
    private final List<Map<String, Integer>> categoryIndex;
    private final Map<String, Integer> columnIndex;
    private final int width;

    public TabularEncoding(FeatureStats stats) {
        this.stats = stats;
        int n = stats.columns().size();
        offsets = new int[n];
        categoryIndex = new ArrayList<>(n);
        columnIndex = new HashMap<>();
        int at = 0;
        for (int c = 0; c < n; c++) {
            FeatureStats.Column column = stats.columns().get(c);
            columnIndex.put(column.name(), c);
            offsets[c] = at;
            Map<String, Integer> categories = new HashMap<>();
            if (column.kind() == FeatureKind.CATEGORICAL) {
                for (int k = 0; k < column.categories().size(); k++) {
                    categories.put(column.categories().get(k), k);
                }
                at += column.categories().size();
            } else {
                at += 1;
            }
            categoryIndex.add(categories);
        }
        width = at;
    }

    /**
     * Fits the statistics on the training rows and encodes them, parsing each numeric cell once: on a large table
     * the parsing is most of a training job's preparation.
     */
    public static Fitted fitAndEncode(List<FeatureColumn> columns, List<Example> train) {
        double[][] numbers = FeatureStats.parseNumbers(columns, train);
        TabularEncoding encoding = new TabularEncoding(FeatureStats.fit(columns, train, numbers));
        return new Fitted(encoding, encoding.encode(train, "train", numbers));
    }

    /** An encoding fitted on a training split, and that split encoded. */
    public record Fitted(TabularEncoding encoding, TabularRows train) {
    }

    public FeatureStats stats() {
        return stats;
    }

    public List<FeatureColumn> columns() {
        List<FeatureColumn> columns = new ArrayList<>();
        stats.columns().forEach(c -> columns.add(new FeatureColumn(c.name(), c.kind())));
        return columns;
    }

    /** Width of the encoded vector. */
    public int width() {
        return width;
    }

    /** Encodes the rows of a split; a bad cell fails naming the column and row. */
    public TabularRows rows(List<Example> examples, String split) {
        return encode(examples, split, null);
    }

    /** As {@link #rows}; {@code numbers}, when given, holds the numeric cells already parsed (NaN: missing). */
    private TabularRows encode(List<Example> examples, String split, double[][] numbers) {
        float[] values = new float[examples.size() * width];
        for (int r = 0; r < examples.size(); r++) {
            List<String> cells = examples.get(r).features();
            if (cells == null || cells.size() != stats.columns().size()) {
                throw new TrainingDataException("row has " + (cells == null ? 0 : cells.size()) + " feature values, "
                        + stats.columns().size() + " columns were declared", null, split, r);
            }
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c);
                FeatureStats.Column column = stats.columns().get(c);
                if (column.kind() == FeatureKind.NUMERIC && numbers != null) {
                    double number = numbers[c][r];
                    values[r * width + offsets[c]] = Double.isNaN(number) ? 0f : standardise(column, number);
                } else if (column.kind() == FeatureKind.NUMERIC) {
                    Double number = FeatureStats.parseNumber(cell);
                    if (number == null && !FeatureStats.isMissing(cell)) {
                        throw new TrainingDataException("'" + cell + "' in numeric column " + column.name()
                                + " is not a number", column.name(), split, r);
                    }
                    values[r * width + offsets[c]] = standardise(column, number);
                } else {
                    put(values, r * width, c, cell);
                }
            }
        }
        return new TabularRows(values, width);
    }

    /** Encodes prediction inputs; a bad input fails naming the field and row. */
    public TabularRows inputs(List<PredictionInput> inputs) {
        float[] values = new float[inputs.size() * width];
        for (int r = 0; r < inputs.size(); r++) {
            Map<String, Object> features = inputs.get(r).features();
            if (features == null) {
                throw new InvalidInputException("features are required", "features", r);
            }
            for (Map.Entry<String, Object> entry : features.entrySet()) {
                Integer c = columnIndex.get(entry.getKey());
                if (c == null) {
                    throw new InvalidInputException("unknown feature '" + entry.getKey() + "'; the model reads "
                            + columnIndex.keySet(), "features." + entry.getKey(), r);
                }
            }
            for (int c = 0; c < stats.columns().size(); c++) {
                FeatureStats.Column column = stats.columns().get(c);
                Object value = features.get(column.name());
                if (column.kind() == FeatureKind.NUMERIC) {
                    values[r * width + offsets[c]] = standardise(column, numeric(column.name(), value, r));
                } else {
                    put(values, r * width, c, categorical(column.name(), value, r));
                }
            }
        }
        return new TabularRows(values, width);
    }

    private static Double numeric(String name, Object value, int row) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        } else if (value instanceof String) {
            Double parsed = FeatureStats.parseNumber((String) value);
            if (parsed != null || FeatureStats.isMissing((String) value)) {
                return parsed;
            }
        }
        throw new InvalidInputException("feature '" + name + "' must be a number, got " + describe(value),
                "features." + name, row);
    }

    private static String categorical(String name, Object value, int row) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value == null ? null : value.toString();
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : value.toString();
        }
        throw new InvalidInputException("feature '" + name + "' must be a string, number or boolean, got "
                + describe(value), "features." + name, row);
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value.getClass().getSimpleName().toLowerCase();
    }

    private static float standardise(FeatureStats.Column column, Double value) {
        return value == null ? 0f : standardise(column, value.doubleValue());
    }

    private static float standardise(FeatureStats.Column column, double value) {
        return (float) ((value - column.mean()) / column.std());
    }

    private void put(float[] values, int rowStart, int column, String cell) {
        if (cell == null) {
            return;
        }
        Integer k = categoryIndex.get(column).get(cell.trim());
        if (k != null) {
            values[rowStart + offsets[column] + k] = 1f;
        }
    }

    /** Encoded rows: one float matrix, row-major. */
    public static final class TabularRows implements EncodedRows {

        private final float[] values;
        private final int width;

        TabularRows(float[] values, int width) {
            this.values = values;
            this.width = width;
        }

        @Override
        public int size() {
            return width == 0 ? 0 : values.length / width;
        }

        @Override
        public long fixedRowBytes() {
            return (long) width * Float.BYTES;
        }

        @Override
        public NDList batch(NDManager manager, int[] order, int from, int to) {
            int rows = to - from;
            float[] batch = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, order[from + r] * width, batch, r * width, width);
            }
            return new NDList(BatchArrays.of(manager, batch, new Shape(rows, width)));
        }
    }
}

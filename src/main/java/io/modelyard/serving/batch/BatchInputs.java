package io.modelyard.serving.batch;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.job.JobFailedException;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.engine.PredictionInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns rows of a dataset version into the inputs online prediction takes: the text of a text row; for a
 * tabular row the model's features by name, the cells as strings (the engine parses numbers exactly as it
 * parses JSON numbers sent online) and an empty cell as missing. Columns the model does not read (the label,
 * extra features) are left out. The rows are a dataset version's or an uploaded file's.
 */
final class BatchInputs {

    private final boolean text;
    private final int textColumn;
    private final List<String> names;
    private final int[] columns;

    private BatchInputs(boolean text, int textColumn, List<String> names, int[] columns) {
        this.text = text;
        this.textColumn = textColumn;
        this.names = names;
        this.columns = columns;
    }

    /** Matches the model's inputs to the version's columns; a feature the version lacks fails the job. */
    static BatchInputs of(TrainingDataset dataset, ModelSignature model) {
        if (model.textColumn() != null) {
            return new BatchInputs(true, dataset.textColumn().index(), List.of(), new int[0]);
        }
        Map<String, Integer> byName = new HashMap<>();
        dataset.inputs().forEach(c -> byName.put(c.name(), c.index()));
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int[] columns = new int[model.features().size()];
        for (int i = 0; i < columns.length; i++) {
            FeatureColumn feature = model.features().get(i);
            Integer index = byName.get(feature.name());
            if (index == null) {
                missing.add(feature.name());
                continue;
            }
            names.add(feature.name());
            columns[i] = index;
        }
        if (!missing.isEmpty()) {
            throw new JobFailedException("missing_features", "Dataset version " + dataset.versionId()
                    + " has no column for the model's features " + missing + ".");
        }
        return new BatchInputs(false, -1, List.copyOf(names), columns);
    }

    /**
     * Matches the model's inputs to an uploaded file's header: for a text model the column named like its text
     * input, else {@code text}, else the only column; for a tabular model a column per feature (others ignored).
     * A missing column is 422 {@code missing-column}, naming it.
     */
    static BatchInputs ofUpload(List<String> header, ModelSignature model) {
        if (model.textColumn() != null) {
            int index = header.indexOf(model.textColumn());
            if (index < 0) {
                index = header.indexOf("text");
            }
            if (index < 0 && header.size() == 1) {
                index = 0;
            }
            if (index < 0) {
                throw missing(model.textColumn().equals("text") ? List.of("text")
                        : List.of(model.textColumn(), "text"), "The file needs the text to predict in a column named "
                        + (model.textColumn().equals("text") ? "" : "'" + model.textColumn() + "' or ")
                        + "'text' (or a single column); its columns are " + header + ".");
            }
            return new BatchInputs(true, index, List.of(), new int[0]);
        }
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int[] columns = new int[model.features().size()];
        for (int i = 0; i < columns.length; i++) {
            String name = model.features().get(i).name();
            columns[i] = header.indexOf(name);
            names.add(name);
            if (columns[i] < 0) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw missing(missing, "The file has no column for the model's features " + missing + "; its columns"
                    + " are " + header + ".");
        }
        return new BatchInputs(false, -1, List.copyOf(names), columns);
    }

    private static ProblemException missing(List<String> columns, String detail) {
        return ProblemException.unprocessable("missing-column", detail).with("columns", columns)
                .with("errors", columns.stream().map(c -> new ProblemException.FieldError(c, "column is missing"))
                        .toList());
    }

    /** The input of one row, given its cells by column index. */
    PredictionInput read(IntFunction<String> row) {
        if (text) {
            return PredictionInput.text(row.apply(textColumn));
        }
        Map<String, Object> features = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            String cell = row.apply(columns[i]);
            features.put(names.get(i), cell == null || cell.isEmpty() ? null : cell);
        }
        return PredictionInput.features(features);
    }
}

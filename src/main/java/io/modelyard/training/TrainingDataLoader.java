package io.modelyard.training;

import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.schema.ColumnRole;
import io.modelyard.dataset.schema.DatasetSchema;
import io.modelyard.dataset.schema.SchemaColumn;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.job.JobFailedException;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.FeatureColumn;
import io.modelyard.training.engine.TaskType;
import io.modelyard.training.engine.TrainingData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a processed dataset version (the canonical CSV with its {@code __split} column) into the trainer's
 * {@link TrainingData}: the split the platform assigned at upload decides where each row goes, so a model is
 * always evaluated on rows it never trained on.
 */
@ApplicationScoped
class TrainingDataLoader {

    private final BlobStore blobs;
    private final TrainingConfig config;

    TrainingDataLoader(BlobStore blobs, TrainingConfig config) {
        this.blobs = blobs;
        this.config = config;
    }

    /** What the loader needs to know of a dataset version. */
    record Source(BlobInfo blob, DatasetSchema schema, List<ColumnType> columnTypes) {
    }

    TrainingData load(Source source, TaskType task) {
        DatasetSchema schema = source.schema();
        List<SchemaColumn> columns = schema.columns();
        SchemaColumn output = schema.output();
        List<FeatureColumn> features = new ArrayList<>();
        String textColumn = null;
        List<Integer> inputIndexes = new ArrayList<>();
        for (int i = 0; i < schema.inputCount(); i++) {
            SchemaColumn column = columns.get(i);
            inputIndexes.add(i);
            if (column.role() == ColumnRole.TEXT) {
                textColumn = column.name();
            } else {
                boolean numeric = i < source.columnTypes().size() && source.columnTypes().get(i) == ColumnType.NUMERIC;
                features.add(numeric ? FeatureColumn.numeric(column.name()) : FeatureColumn.categorical(column.name()));
            }
        }
        List<Example> train = new ArrayList<>();
        List<Example> validation = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        long rows = 0;
        try (VersionReader reader = VersionReader.open(blobs, source.blob())) {
            while (reader.next()) {
                if (++rows > config.maxRows()) {
                    throw new JobFailedException("dataset_too_large", "The dataset version has more than "
                            + config.maxRows() + " rows, the most a training job loads.");
                }
                Example example = example(task, reader, inputIndexes, textColumn != null, schema.outputIndex());
                if (example.label() != null) {
                    labels.add(example.label());
                }
                Split split = reader.split();
                (split == Split.TRAIN ? train : split == Split.VALIDATION ? validation : test).add(example);
            }
        } catch (IOException e) {
            throw JobFailedException.retryable("dataset_unreadable", "The dataset version could not be read.", e);
        }
        return new TrainingData(task, textColumn, features, output.name(),
                task == TaskType.TABULAR_REGRESSION ? List.of() : List.copyOf(labels), train, validation, test);
    }

    private static Example example(TaskType task, VersionReader reader, List<Integer> inputs, boolean text,
            int output) {
        String outputValue = reader.get(output);
        if (text) {
            return Example.text(reader.get(inputs.get(0)), outputValue);
        }
        List<String> values = new ArrayList<>(inputs.size());
        for (int index : inputs) {
            values.add(reader.get(index));
        }
        if (task == TaskType.TABULAR_REGRESSION) {
            try {
                return Example.regression(values, Double.parseDouble(outputValue));
            } catch (NumberFormatException | NullPointerException e) {
                throw new JobFailedException("invalid_training_data",
                        "Row " + (reader.index() + 1) + " has a non-numeric target.");
            }
        }
        return Example.tabular(values, outputValue);
    }
}

package io.modelyard.training;

import io.modelyard.dataset.TrainingDataset;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.job.JobFailedException;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.ImageSource;
import io.modelyard.training.engine.TrainingData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a processed dataset version into the trainer's {@link TrainingData}. The split each row was given at
 * upload decides where it goes, so a model is always evaluated on rows it never trained on.
 */
@ApplicationScoped
class TrainingDataLoader {

    private final TrainingDatasets datasets;
    private final TrainingConfig config;

    TrainingDataLoader(TrainingDatasets datasets, TrainingConfig config) {
        this.datasets = datasets;
        this.config = config;
    }

    TrainingData load(TrainingDataset dataset, TaskType task) {
        if (dataset.rowCount() > config.maxRows()) {
            throw new JobFailedException("dataset_too_large", "The dataset version has " + dataset.rowCount()
                    + " rows; a training job loads at most " + config.maxRows() + ".");
        }
        boolean text = task.hasOneInput();
        List<FeatureColumn> features = new ArrayList<>();
        if (!text) {
            for (TrainingDataset.Column column : dataset.inputs()) {
                features.add(column.type() == ColumnType.NUMERIC ? FeatureColumn.numeric(column.name())
                        : FeatureColumn.categorical(column.name()));
            }
        }
        List<Example> train = new ArrayList<>();
        List<Example> validation = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        int output = dataset.output().index();
        try (VersionReader rows = datasets.versions().openRows(dataset)) {
            while (rows.next()) {
                Example example = text
                        ? Example.text(rows.get(dataset.inputs().get(0).index()), rows.get(output))
                        : tabular(task, rows, dataset.inputs(), output);
                Split split = rows.split();
                (split == Split.TRAIN ? train : split == Split.VALIDATION ? validation : test).add(example);
            }
        } catch (IOException e) {
            throw JobFailedException.retryable("dataset_unreadable", "The dataset version could not be read.", e);
        }
        ImageSource images = task.isImage() ? id -> datasets.images().read(dataset.datasetId(), id)
                : ImageSource.NONE;
        return new TrainingData(task, text ? dataset.inputs().get(0).name() : null, features,
                dataset.output().name(), dataset.labels(), train, validation, test, images);
    }

    private static Example tabular(TaskType task, VersionReader rows, List<TrainingDataset.Column> inputs,
            int output) {
        List<String> values = new ArrayList<>(inputs.size());
        for (TrainingDataset.Column column : inputs) {
            values.add(rows.get(column.index()));
        }
        if (task == TaskType.TABULAR_REGRESSION) {
            try {
                return Example.regression(values, Double.parseDouble(rows.get(output)));
            } catch (NumberFormatException | NullPointerException e) {
                throw new JobFailedException("invalid_training_data",
                        "Row " + (rows.index() + 1) + " of the dataset version has a non-numeric target.");
            }
        }
        return Example.tabular(values, rows.get(output));
    }
}

package io.modelyard.training;

import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.model.spec.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** What training needs of the dataset package: a version's shape before queueing, its rows on the worker. */
@ApplicationScoped
class TrainingDatasets {

    private final DatasetVersions versions;
    private final DatasetService datasets;
    private final DatasetImages images;

    TrainingDatasets(DatasetVersions versions, DatasetService datasets, DatasetImages images) {
        this.versions = versions;
        this.datasets = datasets;
        this.images = images;
    }

    /** A dataset version as training sees it before it starts. */
    record Description(TaskType task, String datasetName, int labelCount, long trainRows) {
    }

    /** @throws io.modelyard.common.ProblemException 404 for an unknown or foreign version */
    @Transactional
    Description describe(String versionId) {
        TrainingDataset version = versions.forTraining(versionId);
        String name = datasets.get(version.datasetId()).name();
        return new Description(version.task(), name, version.labels().size(),
                version.splits().train());
    }

    @Transactional
    TrainingDataset forTraining(String versionId) {
        return versions.forTraining(versionId);
    }

    DatasetVersions versions() {
        return versions;
    }

    DatasetImages images() {
        return images;
    }
}

package io.modelyard.export;

import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.DatasetView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.SourceModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a tenant stored, copied byte for byte: every dataset version's rows and the upload they came from,
 * with their reports; every model's artifact, card and evaluation; the model aliases.
 *
 * <pre>
 * datasets/&lt;ds&gt;/dataset.json
 * datasets/&lt;ds&gt;/upload.csv|jsonl                  the upload, as received (an image dataset's: its manifest)
 * datasets/&lt;ds&gt;/images/&lt;sha256&gt;.&lt;format&gt;       an image dataset's images, as uploaded, once each
 * datasets/&lt;ds&gt;/images.json                      the file names each image had in the archive, sizes, modes
 * datasets/&lt;ds&gt;/versions/&lt;dsv&gt;/version.json      metadata (schema, splits, options, digests)
 * datasets/&lt;ds&gt;/versions/&lt;dsv&gt;/data.csv          the processed rows as stored (with __split)
 * datasets/&lt;ds&gt;/versions/&lt;dsv&gt;/validation.json | cleaning.json | profile.json
 * models/&lt;mdl&gt;/model.json | card.json | evaluation.json | artifact.zip
 * model-aliases.json
 * </pre>
 */
@ApplicationScoped
class StoredDataSection {

    private final DatasetService datasets;
    private final DatasetVersions versions;
    private final ModelRegistry models;
    private final BlobStore blobs;
    private final DatasetImages images;

    StoredDataSection(DatasetService datasets, DatasetVersions versions, ModelRegistry models, BlobStore blobs,
            DatasetImages images) {
        this.images = images;
        this.datasets = datasets;
        this.versions = versions;
        this.models = models;
        this.blobs = blobs;
    }

    /** Ids only, so progress can be told as a share of the whole; the records are read one by one after. */
    record Inventory(List<String> datasetIds, List<String> modelIds) {

        int items() {
            return datasetIds.size() + modelIds.size();
        }
    }

    Inventory inventory() throws IOException {
        List<String> datasetIds = new ArrayList<>();
        PageWalk.each(page -> datasets.list(page, null), d -> datasetIds.add(d.id()));
        List<String> modelIds = new ArrayList<>();
        PageWalk.each(page -> models.list(page, null), m -> modelIds.add(m.id()));
        return new Inventory(datasetIds, modelIds);
    }

    void dataset(ExportArchive archive, String datasetId) throws IOException {
        String base = "datasets/" + datasetId + "/";
        DatasetView dataset = datasets.get(datasetId);
        archive.json(base + "dataset.json", dataset);
        Set<String> uploads = new HashSet<>();
        PageWalk.each(page -> versions.list(datasetId, page), version -> {
            DatasetVersions.StoredFiles stored = versions.storedFiles(version.id());
            // Every version of a dataset is made from its one upload: copied once.
            if (uploads.add(stored.upload().key())) {
                copy(archive, base + "upload" + extension(stored.upload().key()), stored.upload());
            }
            version(archive, base + "versions/" + version.id() + "/", version, stored);
        });
        if (dataset.task().isImage()) {
            images(archive, base, datasetId);
        }
    }

    /** The images every version of the dataset names (its rows hold their ids), and the upload's index of them. */
    private void images(ExportArchive archive, String base, String datasetId) throws IOException {
        Map<String, DatasetImages.IndexEntry> index = images.stored(datasetId);
        archive.json(base + "images.json", index);
        for (Map.Entry<String, DatasetImages.IndexEntry> image : index.entrySet()) {
            String format = image.getValue().format();
            archive.copy(base + "images/" + image.getKey() + (format == null ? "" : "." + format),
                    images.open(datasetId, image.getKey()));
        }
    }

    private void version(ExportArchive archive, String base, DatasetVersionView version,
            DatasetVersions.StoredFiles stored) throws IOException {
        archive.json(base + "version.json", version);
        copy(archive, base + "data.csv", stored.rows());
        archive.json(base + "validation.json", version.validation());
        archive.json(base + "cleaning.json", version.cleaning());
        archive.json(base + "profile.json", version.profile());
    }

    void model(ExportArchive archive, String modelId) throws IOException {
        String base = "models/" + modelId + "/";
        ModelView model = models.get(modelId);
        archive.json(base + "model.json", model);
        archive.json(base + "card.json", models.card(modelId));
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("model_id", modelId);
        evaluation.put("task", model.task().wireName());
        evaluation.put("labels", model.labels());
        evaluation.put("evaluation", model.evaluation());
        archive.json(base + "evaluation.json", evaluation);
        SourceModel source = models.source(modelId);
        if (source.artifactKey() != null) {
            copy(archive, base + "artifact" + extension(source.artifactKey()),
                    new BlobInfo(source.artifactKey(), model.artifact().sizeBytes(), source.artifactSha256()));
        }
    }

    void aliases(ExportArchive archive) throws IOException {
        archive.json("model-aliases.json", models.listAliases());
    }

    /** Copies a blob as it is; reading it to the end verifies the digest it was recorded with. */
    private void copy(ExportArchive archive, String path, BlobInfo blob) throws IOException {
        archive.copy(path, blobs.open(blob.key(), blob.sha256()));
    }

    private static String extension(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }
}

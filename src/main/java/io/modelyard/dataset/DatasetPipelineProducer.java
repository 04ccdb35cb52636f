package io.modelyard.dataset;

import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.ScratchSpace;
import io.modelyard.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The processing core over the process's blob store, with its work directory from {@link DatasetConfig}. */
@ApplicationScoped
class DatasetPipelineProducer {

    @Produces
    @Singleton
    DatasetPipeline pipeline(BlobStore store, DatasetConfig config) {
        Path work = Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir")));
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the dataset work directory " + work, e);
        }
        return new DatasetPipeline(store, new ScratchSpace(work, config.scratchMaxBytes().asLongValue()));
    }
}

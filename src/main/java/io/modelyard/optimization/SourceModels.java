package io.modelyard.optimization;

import io.modelyard.common.ProblemException;
import io.modelyard.job.JobFailedException;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.SourceModel;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/** The registered models that compression and distillation jobs start from, and their artifacts' bytes. */
@ApplicationScoped
class SourceModels {

    private final ModelRegistry registry;
    private final BlobStore blobs;

    SourceModels(ModelRegistry registry, BlobStore blobs) {
        this.registry = registry;
        this.blobs = blobs;
    }

    /** In the request: 404 for an unknown, deleted or foreign model. */
    SourceModel describe(String idOrAlias) {
        return registry.source(idOrAlias);
    }

    /** On the worker: the model's artifact, or a job failure when the model was deleted meanwhile. */
    byte[] artifact(String modelId, String field) {
        SourceModel source;
        try {
            source = QuarkusTransaction.requiringNew().call(() -> registry.source(modelId));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new JobFailedException("model_not_found", "The " + field + " " + modelId
                        + " no longer exists.");
            }
            throw e;
        }
        try (InputStream in = blobs.open(source.artifactKey(), source.artifactSha256())) {
            return in.readAllBytes();
        } catch (IOException | BlobStoreException e) {
            throw JobFailedException.retryable("artifact_unreadable", "The artifact of " + modelId
                    + " could not be read.", e);
        }
    }
}

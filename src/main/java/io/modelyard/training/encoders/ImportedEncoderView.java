package io.modelyard.training.encoders;

import java.time.Instant;

/** An imported encoder as clients see it. */
public record ImportedEncoderView(String id, String object, String name, int vocabularySize, long sizeBytes,
        String sha256, String createdBy, Instant createdAt) {

    static ImportedEncoderView of(ImportedEncoder e) {
        return new ImportedEncoderView(e.id, "imported_encoder", e.name, e.vocabularySize, e.sizeBytes, e.sha256,
                e.createdBy, e.createdAt);
    }
}

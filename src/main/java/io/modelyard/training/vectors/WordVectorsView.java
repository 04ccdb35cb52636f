package io.modelyard.training.vectors;

import java.time.Instant;

/** Word vectors as clients see them; {@code dimensions} is the {@code embedding_size} a model using them gets. */
public record WordVectorsView(String id, String object, String name, int dimensions, long words, long sizeBytes,
        String sha256, String createdBy, Instant createdAt) {

    static WordVectorsView of(WordVectors v) {
        return new WordVectorsView(v.id, "word_vectors", v.name, v.dimensions, v.words, v.sizeBytes, v.sha256,
                v.createdBy, v.createdAt);
    }
}

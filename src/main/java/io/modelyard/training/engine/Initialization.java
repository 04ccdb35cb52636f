package io.modelyard.training.engine;

import io.modelyard.model.spec.WireNames;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a run starts besides random weights: from an earlier model (its preprocessing and every weight that fits;
 * a new label set gets a new head), with text embeddings from word vectors, from a TorchScript encoder, under a
 * teacher (distillation), or with magnitude pruning held through the run (compression). All optional; {@link
 * #NONE} is a plain training run.
 *
 * @param fromArtifact an earlier model's artifact: its vocabulary or feature encoding is reused, its weights
 *                     copied where name and shape match
 * @param freeze       which part stays as initialised
 * @param wordVectors  a word2vec/GloVe text file: rows of the embedding table for words it has
 * @param encoder      a zip of {@code encoder.pt} (TorchScript) and {@code vocabulary.txt}
 * @param teacher      distillation: the teacher's artifact and how to mix its softened probabilities in
 * @param pruneSparsity the fraction of weights (by magnitude, across every weight matrix) held at zero; 0: none
 */
public record Initialization(byte[] fromArtifact, Freeze freeze, Path wordVectors, byte[] encoder, Teacher teacher,
        double pruneSparsity) {

    public static final Initialization NONE = new Initialization(null, Freeze.NONE, null, null, null, 0);

    /** Which weights do not train. */
    public enum Freeze {
        /** Everything trains. */
        NONE,
        /** The token embedding (text) stays as initialised. */
        EMBEDDING,
        /** Everything but the classification head stays as initialised. */
        ENCODER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Freeze fromWire(String value) {
            return WireNames.parse(Freeze.class, value);
        }
    }

    /**
     * @param artifact    the teacher model
     * @param temperature softens both distributions (T > 1 spreads the teacher's probability over close classes)
     * @param alpha       weight of the teacher's soft targets; 1 - alpha goes to the true labels
     */
    public record Teacher(byte[] artifact, double temperature, double alpha) {
    }

    public Initialization {
        freeze = freeze == null ? Freeze.NONE : freeze;
    }

    public static Initialization fromModel(byte[] artifact, Freeze freeze) {
        return new Initialization(artifact, freeze, null, null, null, 0);
    }

    public Initialization withWordVectors(Path vectors) {
        return new Initialization(fromArtifact, freeze, vectors, encoder, teacher, pruneSparsity);
    }

    public Initialization withEncoder(byte[] zip) {
        return new Initialization(fromArtifact, freeze, wordVectors, zip, teacher, pruneSparsity);
    }

    public Initialization withTeacher(Teacher t) {
        return new Initialization(fromArtifact, freeze, wordVectors, encoder, t, pruneSparsity);
    }

    public Initialization withPruning(double sparsity) {
        return new Initialization(fromArtifact, freeze, wordVectors, encoder, teacher, sparsity);
    }

    public Initialization withFreeze(Freeze f) {
        return new Initialization(fromArtifact, f, wordVectors, encoder, teacher, pruneSparsity);
    }

    /** A digest of what the run starts from, so a checkpoint of another start is not resumed. */
    public long fingerprint() {
        long h = freeze.ordinal();
        h = 31 * h + (fromArtifact == null ? 0 : Arrays.hashCode(fromArtifact));
        // the file is a per-run copy; within one job it is always the same vectors
        h = 31 * h + (wordVectors == null ? 0 : 1);
        h = 31 * h + (encoder == null ? 0 : Arrays.hashCode(encoder));
        if (teacher != null) {
            h = 31 * h + Arrays.hashCode(teacher.artifact());
            h = 31 * h + Double.hashCode(teacher.temperature()) + 7 * Double.hashCode(teacher.alpha());
        }
        return 31 * h + Double.hashCode(pruneSparsity);
    }
}

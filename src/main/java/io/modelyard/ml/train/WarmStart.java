package io.modelyard.ml.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.modelyard.ml.artifact.ArtifactWeights;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.text.Vocabulary;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.SpecViolation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Transfer learning on a freshly initialised network: weights copied from an earlier model where name and shape
 * match (its head only when the label set is the same), embedding rows from word vectors, and the frozen part
 * marked so that neither gradients nor the optimizer touch it.
 */
final class WarmStart {

    private WarmStart() {
    }

    /**
     * Copies the source model's weights into {@code target}.
     *
     * @param sameLabels whether the source predicts the same classes in the same order (else its head is skipped)
     * @return how many parameters were copied
     */
    static int copyFrom(ModelArtifact source, Block target, NDManager manager, boolean sameLabels)
            throws IOException {
        List<String> head = headParameters(target);
        int copied = 0;
        try (NDManager scratch = manager.newSubManager()) {
            Block sourceBlock = ArtifactWeights.load(source, scratch);
            Map<String, NDArray> byName = new HashMap<>();
            for (Pair<String, Parameter> p : sourceBlock.getParameters()) {
                byName.put(p.getKey(), p.getValue().getArray());
            }
            for (Pair<String, Parameter> p : target.getParameters()) {
                NDArray from = byName.get(p.getKey());
                NDArray to = p.getValue().getArray();
                if (from == null || !from.getShape().equals(to.getShape())
                        || !sameLabels && head.contains(p.getKey())) {
                    continue;
                }
                to.set(from.toFloatArray());
                copied++;
            }
        } catch (MalformedModelException e) {
            throw new IOException("the source model's weights do not load: " + e.getMessage(), e);
        }
        return copied;
    }

    /**
     * Sets the embedding rows of vocabulary words found in a word2vec or GloVe text file (one word and its
     * numbers per line; word2vec's "count width" first line is skipped). Words are matched lowercased, as the
     * tokenizer writes them; the first spelling in the file wins.
     *
     * @return how many vocabulary entries got a vector
     */
    static int wordVectors(Path file, Vocabulary vocabulary, Block target) throws IOException {
        Parameter table = embeddingTable(target);
        if (table == null) {
            throw invalid("word_vectors_id", "word vectors initialise a text embedding; this architecture has none");
        }
        NDArray array = table.getArray();
        int width = (int) array.getShape().get(1);
        float[] values = array.toFloatArray();
        boolean[] seen = new boolean[vocabulary.size()];
        int found = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            boolean first = true;
            for (; line != null; line = reader.readLine(), first = false) {
                String[] parts = line.trim().split("\\s+");
                if (first && parts.length == 2) {
                    continue;
                }
                if (parts.length < 2) {
                    continue;
                }
                if (parts.length - 1 != width) {
                    throw invalid("embedding_size", "embedding_size is " + width + " but the word vectors have "
                            + (parts.length - 1) + " numbers per word");
                }
                int index = vocabulary.indexOf(parts[0].toLowerCase(Locale.ROOT));
                if (index <= Vocabulary.UNK || seen[index]) {
                    continue;
                }
                for (int c = 0; c < width; c++) {
                    values[index * width + c] = Float.parseFloat(parts[c + 1]);
                }
                seen[index] = true;
                found++;
            }
        } catch (NumberFormatException e) {
            throw invalid("word_vectors_id", "the word vectors file has a value that is not a number");
        }
        array.set(values);
        return found;
    }

    /** Marks the frozen parameters as not trainable; returns how many. */
    static int freeze(Block block, Initialization.Freeze freeze) {
        if (freeze == Initialization.Freeze.NONE) {
            return 0;
        }
        List<String> head = headParameters(block);
        String embedding = embeddingPrefix(block);
        int frozen = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            boolean freezeIt = freeze == Initialization.Freeze.ENCODER ? !head.contains(p.getKey())
                    : embedding != null && p.getKey().startsWith(embedding);
            if (freezeIt) {
                p.getValue().freeze(true);
                frozen++;
            }
        }
        if (frozen == 0) {
            throw invalid("freeze", freeze.name().toLowerCase(Locale.ROOT) + " leaves nothing frozen in this"
                    + " architecture");
        }
        return frozen;
    }

    /** The classification head: the last child's parameters, and any the network holds directly. */
    static List<String> headParameters(Block block) {
        List<String> head = new ArrayList<>();
        var children = block.getChildren();
        String last = children.isEmpty() ? null : children.get(children.size() - 1).getKey();
        for (Pair<String, Parameter> p : block.getParameters()) {
            boolean direct = block.getDirectParameters().keys().contains(p.getKey());
            if (direct || last != null && p.getKey().startsWith(last + "_")) {
                head.add(p.getKey());
            }
        }
        return head;
    }

    private static Parameter embeddingTable(Block block) {
        String prefix = embeddingPrefix(block);
        if (prefix == null || !(block instanceof io.modelyard.ml.nn.TextClassifierBlock)) {
            return null;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().startsWith(prefix)) {
                return p.getValue();
            }
        }
        return null;
    }

    private static String embeddingPrefix(Block block) {
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getKey().endsWith("embedding")) {
                return child.getKey() + "_";
            }
        }
        return null;
    }

    private static InvalidTrainingSpecException invalid(String field, String message) {
        return new InvalidTrainingSpecException(List.of(new SpecViolation(field, message)));
    }
}

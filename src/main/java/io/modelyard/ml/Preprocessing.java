package io.modelyard.ml;

import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import java.util.List;
import java.util.Map;

/**
 * Raw rows to network input, fitted on the training split and stored in the artifact: the one piece of code
 * through which training, evaluation and serving all read data.
 */
public interface Preprocessing {

    /** Encodes the rows of a split; a bad cell fails with {@code TrainingDataException}. */
    EncodedRows examples(List<Example> examples, String split);

    /** Encodes prediction inputs; a bad input fails with {@code InvalidInputException} naming field and row. */
    EncodedRows inputs(List<PredictionInput> inputs);

    /** Vocabulary entries (text) or encoded feature width (tabular): the network's input size. */
    int inputSize();

    /** Artifact entries (file name to bytes) that {@code read} turns back into this. */
    Map<String, byte[]> entries();

    /** A digest of what was fitted, to tell whether a checkpoint belongs to the same data. */
    long fingerprint();
}

package io.modelyard.model.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The network. Text architectures read one text column; {@code mlp} reads feature columns; {@code linear} reads
 * either.
 */
public enum Architecture {
    /** fastText-like: token embeddings averaged over the text, then a linear classifier. */
    BAG_OF_EMBEDDINGS(true),
    /** Kim's TextCNN: convolutions of widths 3, 4 and 5 ({@code hidden_size} filters each), max over time. */
    TEXT_CNN(true),
    /** Bidirectional LSTM ({@code layers} deep, {@code hidden_size} per direction), max and mean over time. */
    BILSTM(true),
    /** A small pre-norm Transformer encoder with learned positions, mean over the tokens. */
    TRANSFORMER(true),
    /**
     * The classic Keras binary text classifier: Embedding(1000, 64) → LSTM(64, sequences) → LSTM(32) →
     * Dense(1, sigmoid), binary cross-entropy, texts pre-padded to 100 tokens. Binary labels only.
     */
    LSTM_CLASSIC(true),
    /**
     * A pretrained text encoder the tenant imported as TorchScript (token indexes in, one vector per text out),
     * kept frozen, with a classification head trained on its vectors; the encoder's own vocabulary tokenizes.
     */
    IMPORTED_ENCODER(true),
    /** A multilayer perceptron on standardised numeric and one-hot categorical features. */
    MLP(false),
    /**
     * The linear baseline: logistic regression (classification) or linear regression on the standardised and
     * one-hot features of a tabular task, or on the bag of words of a text (mean of per-word class scores plus a
     * bias: a linear model of the term frequencies).
     */
    LINEAR(null);

    /** Reads text (true), feature columns (false) or either (null). */
    private final Boolean text;

    Architecture(Boolean text) {
        this.text = text;
    }

    /** Whether this network reads text only. */
    public boolean isText() {
        return Boolean.TRUE.equals(text);
    }

    /** Whether this network can learn the task. */
    public boolean supports(TaskType task) {
        return text == null || task.isText() == text;
    }

    /** Whether, for {@code task}, this network reads text (and so has a vocabulary and a sequence length). */
    public boolean readsText(TaskType task) {
        return text == null ? task != null && task.isText() : text;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static Architecture fromWire(String value) {
        return WireNames.parse(Architecture.class, value);
    }
}

package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The network. Text architectures read one text column; {@code mlp} reads feature columns. */
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
    /** A multilayer perceptron on standardised numeric and one-hot categorical features. */
    MLP(false);

    private final boolean text;

    Architecture(boolean text) {
        this.text = text;
    }

    public boolean isText() {
        return text;
    }

    /** Whether this network can learn the task. */
    public boolean supports(TaskType task) {
        return task.isText() == text;
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

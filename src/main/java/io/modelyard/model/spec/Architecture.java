package io.modelyard.model.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The network. Text architectures read one text column; {@code mlp} reads feature columns; {@code linear} reads
 * either; {@code cnn_small}, {@code vgg} and {@code resnet} read images.
 */
public enum Architecture {
    /** fastText-like: token embeddings averaged over the text, then a linear classifier. */
    BAG_OF_EMBEDDINGS(Input.TEXT),
    /** Kim's TextCNN: convolutions of widths 3, 4 and 5 ({@code hidden_size} filters each), max over time. */
    TEXT_CNN(Input.TEXT),
    /** Bidirectional LSTM ({@code layers} deep, {@code hidden_size} per direction), max and mean over time. */
    BILSTM(Input.TEXT),
    /** A small pre-norm Transformer encoder with learned positions, mean over the tokens. */
    TRANSFORMER(Input.TEXT),
    /**
     * The classic Keras binary text classifier: Embedding(1000, 64) → LSTM(64, sequences) → LSTM(32) →
     * Dense(1, sigmoid), binary cross-entropy, texts pre-padded to 100 tokens. Binary labels only.
     */
    LSTM_CLASSIC(Input.TEXT),
    /**
     * A pretrained text encoder the tenant imported as TorchScript (token indexes in, one vector per text out),
     * kept frozen, with a classification head trained on its vectors; the encoder's own vocabulary tokenizes.
     */
    IMPORTED_ENCODER(Input.TEXT),
    /** A multilayer perceptron on standardised numeric and one-hot categorical features. */
    MLP(Input.FEATURES),
    /**
     * The linear baseline: logistic regression (classification) or linear regression on the standardised and
     * one-hot features of a tabular task, or on the bag of words of a text (mean of per-word class scores plus a
     * bias: a linear model of the term frequencies).
     */
    LINEAR(Input.TEXT_OR_FEATURES),
    /** A few convolution blocks (convolution, batch norm, ReLU, max pool), global average pool: minutes on a CPU. */
    CNN_SMALL(Input.IMAGE),
    /** A small VGG-style stack: blocks of two 3×3 convolutions and a max pool, widening as they shrink. */
    VGG(Input.IMAGE),
    /** ResNet with basic residual blocks: 18 layers, or 34 with {@code layers: 34}; a small-image stem below 128. */
    RESNET(Input.IMAGE);

    /** What a network reads. */
    private enum Input {
        TEXT, FEATURES, TEXT_OR_FEATURES, IMAGE
    }

    private final Input input;

    Architecture(Input input) {
        this.input = input;
    }

    /** Whether this network reads text only. */
    public boolean isText() {
        return input == Input.TEXT;
    }

    /** Whether this network reads images. */
    public boolean isImage() {
        return input == Input.IMAGE;
    }

    /** Whether this network can learn the task. */
    public boolean supports(TaskType task) {
        return switch (input) {
            case TEXT -> task.isText();
            case FEATURES -> !task.isText() && !task.isImage();
            case TEXT_OR_FEATURES -> !task.isImage();
            case IMAGE -> task.isImage();
        };
    }

    /** Whether, for {@code task}, this network reads text (and so has a vocabulary and a sequence length). */
    public boolean readsText(TaskType task) {
        return input == Input.TEXT_OR_FEATURES ? task != null && task.isText() : input == Input.TEXT;
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

package io.modelyard.training.engine;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/** Range checks of {@link Hyperparameters}, one message per field, worded for the API's 400 answer. */
final class HyperparameterRules {

    private HyperparameterRules() {
    }

    static void check(Hyperparameters h, Architecture architecture, TaskType task, List<SpecViolation> errors) {
        range(errors, "epochs", h.epochs(), 1, 10_000);
        range(errors, "batch_size", h.batchSize(), 1, 65_536);
        if (!(h.learningRate() > 0 && h.learningRate() <= 10)) {
            errors.add(new SpecViolation("learning_rate", "learning_rate must be > 0 and <= 10"));
        }
        required(errors, "schedule", h.schedule());
        required(errors, "optimizer", h.optimizer());
        if (!(h.momentum() >= 0 && h.momentum() < 1)) {
            errors.add(new SpecViolation("momentum", "momentum must be >= 0 and < 1"));
        }
        if (!(h.weightDecay() >= 0 && h.weightDecay() < 1)) {
            errors.add(new SpecViolation("weight_decay", "weight_decay must be >= 0 and < 1"));
        }
        if (!(h.dropout() >= 0 && h.dropout() < 1)) {
            errors.add(new SpecViolation("dropout", "dropout must be >= 0 and < 1"));
        }
        range(errors, "early_stopping_patience", h.earlyStoppingPatience(), 0, 1000);
        range(errors, "checkpoint_every_steps", h.checkpointEverySteps(), 0, Integer.MAX_VALUE);
        range(errors, "hidden_size", h.hiddenSize(), 1, 16_384);
        range(errors, "layers", h.layers(), 1, 48);
        knobs(h, architecture, task, errors);
        if (architecture != null && architecture.isImage()) {
            image(h, architecture, errors);
            return;
        }
        if (h.imageAugmentation() && architecture != null) {
            errors.add(new SpecViolation("image_augmentation", "image_augmentation is for image architectures"));
        }
        if (architecture == null || !architecture.readsText(task)) {
            return;
        }
        range(errors, "max_sequence_length", h.maxSequenceLength(), 1, 8192);
        if (architecture != Architecture.IMPORTED_ENCODER) {
            range(errors, "vocabulary_size", h.vocabularySize(), 3, 2_000_000);
            range(errors, "embedding_size", h.embeddingSize(), 1, 8192);
        }
        if (architecture == Architecture.TRANSFORMER) {
            range(errors, "heads", h.heads(), 1, 128);
            if (h.heads() >= 1 && h.embeddingSize() >= 1 && h.embeddingSize() % h.heads() != 0) {
                errors.add(new SpecViolation("heads", "heads must divide embedding_size (" + h.embeddingSize()
                        + " is not a multiple of " + h.heads() + ")"));
            }
        }
        if (architecture == Architecture.LSTM_CLASSIC && h.hiddenSize() < 2) {
            errors.add(new SpecViolation("hidden_size", "hidden_size must be >= 2 for lstm_classic (its second LSTM"
                    + " has hidden_size / 2 units)"));
        }
    }

    /** Loss, class weights, clipping, n-grams and augmentation. */
    private static void knobs(Hyperparameters h, Architecture architecture, TaskType task, List<SpecViolation> errors) {
        if (h.loss() != null && task != null) {
            if (task.isClassification() != h.loss().forClassification()) {
                errors.add(new SpecViolation("loss", h.loss().wireName() + " is not a loss for " + task.wireName()
                        + (task.isClassification() ? "; use cross_entropy or focal" : "; use mse, mae or huber")));
            } else if (architecture == Architecture.LSTM_CLASSIC && h.loss() == LossKind.FOCAL) {
                errors.add(new SpecViolation("loss", "lstm_classic trains with binary cross-entropy (cross_entropy)"));
            }
        }
        if (h.classWeights() != null) {
            if (task != null && !task.isClassification()) {
                errors.add(new SpecViolation("class_weights", "class weights are for classification"));
            }
            h.classWeights().weights().forEach((label, weight) -> {
                if (!(weight > 0 && weight < 1e6)) {
                    errors.add(new SpecViolation("class_weights", "the weight of '" + label + "' must be > 0"));
                }
            });
        }
        if (!(h.gradientClipNorm() >= 0 && h.gradientClipNorm() < 1e9)) {
            errors.add(new SpecViolation("gradient_clip_norm", "gradient_clip_norm must be >= 0 (0: off)"));
        }
        boolean bag = architecture == Architecture.BAG_OF_EMBEDDINGS
                || architecture == Architecture.LINEAR && task != null && task.isText();
        if (h.hashedNgrams()) {
            if (!bag) {
                errors.add(new SpecViolation(h.charNgrams() ? "char_ngrams" : "word_bigrams",
                        "hashed n-grams are for bag_of_embeddings and linear text models"));
            }
            range(errors, "ngram_buckets", h.ngramBuckets(), 1, 10_000_000);
        }
        Augmentation a = h.augmentation();
        if (a != null) {
            if (task != null && !task.isText()) {
                errors.add(new SpecViolation("augmentation", "augmentation is for text"));
            }
            range(errors, "augmentation.copies", a.copies(), 1, 10);
            if (!(a.tokenDropout() >= 0 && a.tokenDropout() <= 0.5)) {
                errors.add(new SpecViolation("augmentation.token_dropout", "must be between 0 and 0.5"));
            }
            if (!(a.tokenSwap() >= 0 && a.tokenSwap() <= 0.5)) {
                errors.add(new SpecViolation("augmentation.token_swap", "must be between 0 and 0.5"));
            }
        }
    }

    private static void image(Hyperparameters h, Architecture architecture, List<SpecViolation> errors) {
        if (!Hyperparameters.IMAGE_SIZES.contains(h.imageSize())) {
            errors.add(new SpecViolation("image_size", "image_size must be one of " + Hyperparameters.IMAGE_SIZES));
        }
        if (architecture == Architecture.RESNET && h.layers() != 18 && h.layers() != 34) {
            errors.add(new SpecViolation("layers", "layers must be 18 or 34 for resnet"));
        }
        range(errors, "hidden_size", h.hiddenSize(), 4, 512);
    }

    private static void range(List<SpecViolation> errors, String field, long value, long min, long max) {
        if (value < min || value > max) {
            errors.add(new SpecViolation(field, field + (max == Integer.MAX_VALUE ? " must be >= " + min
                    : " must be >= " + min + " and <= " + max)));
        }
    }

    private static void required(List<SpecViolation> errors, String field, Object value) {
        if (value == null) {
            errors.add(new SpecViolation(field, field + " is required"));
        }
    }
}

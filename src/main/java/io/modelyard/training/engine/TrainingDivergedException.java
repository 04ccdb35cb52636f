package io.modelyard.training.engine;

/** The training loss became NaN or infinite: usually a learning rate too high for the data. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(int epoch) {
        super("training diverged in epoch " + epoch + " (the loss is not a finite number); try a lower learning_rate");
    }
}

package io.modelyard.training.engine;

/**
 * Metrics of one finished epoch. Classification fills {@code valAccuracy} and {@code valF1} (macro); regression
 * fills {@code valMse} and {@code valMae}; the others are null. Losses are per example: softmax cross-entropy,
 * binary cross-entropy ({@code lstm_classic}) or mean squared error on standardised targets (regression).
 *
 * @param epoch 1-based
 * @param learningRate the rate at the epoch's last step
 * @param improved whether the validation loss was the best so far (the weights kept for the model)
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double valLoss,
        Double valAccuracy,
        Double valF1,
        Double valMse,
        Double valMae,
        double learningRate,
        boolean improved,
        long durationMillis) {
}

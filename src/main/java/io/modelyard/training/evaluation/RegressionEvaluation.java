package io.modelyard.training.evaluation;

/**
 * Scores of numeric predictions. {@code r2} is 1 - SS_res / SS_tot; when every actual value is the same it is 1
 * for a perfect prediction and 0 otherwise.
 */
public record RegressionEvaluation(double mse, double rmse, double mae, double r2, long count) {

    static RegressionEvaluation of(double[] actual, double[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " values, predicted "
                    + predicted.length);
        }
        int n = actual.length;
        if (n == 0) {
            return new RegressionEvaluation(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= n;
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double error = predicted[i] - actual[i];
            squared += error * error;
            absolute += Math.abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        double r2 = total == 0 ? (squared == 0 ? 1.0 : 0.0) : 1 - squared / total;
        double mse = squared / n;
        return new RegressionEvaluation(mse, Math.sqrt(mse), absolute / n, r2, n);
    }
}

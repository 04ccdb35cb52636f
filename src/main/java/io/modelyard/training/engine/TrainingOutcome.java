package io.modelyard.training.engine;

import io.modelyard.training.evaluation.Evaluation;
import java.util.List;

/**
 * The result of a finished run.
 *
 * @param artifact the model as a self-contained zip, loadable by {@code ModelRuntime}
 * @param evaluation metrics on the test split, computed by loading {@code artifact} the way serving does
 * @param samplesProcessed training examples processed over the whole run, resumed parts included
 * @param epochsRun epochs completed
 * @param bestEpoch the 1-based epoch whose weights the artifact holds (lowest validation loss)
 * @param earlyStopped whether early stopping ended the run before {@code epochs}
 * @param device {@code cpu} or {@code gpu}
 * @param history the metrics of every epoch, resumed parts included
 */
public record TrainingOutcome(
        byte[] artifact,
        Evaluation evaluation,
        long samplesProcessed,
        int epochsRun,
        int bestEpoch,
        boolean earlyStopped,
        String device,
        List<EpochMetrics> history) {
}

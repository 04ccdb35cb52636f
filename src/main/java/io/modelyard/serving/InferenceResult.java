package io.modelyard.serving;

import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.Prediction;
import java.util.List;

/**
 * One request's answers, in input order.
 *
 * @param explanations one per input when explanations were asked for, else null
 */
public record InferenceResult(List<Prediction> predictions, List<Explanation> explanations) {
}

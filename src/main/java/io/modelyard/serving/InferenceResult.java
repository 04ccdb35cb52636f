package io.modelyard.serving;

import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.Prediction;
import java.util.List;

/**
 * One request's answers, in input order.
 *
 * @param explanations one per input when explanations were asked for, else null
 * @param modelPasses  the rows that went through the model: one per input, plus each explanation's occluded
 *                     variants and its own text again — what the request is metered by
 */
public record InferenceResult(List<Prediction> predictions, List<Explanation> explanations, int modelPasses) {
}

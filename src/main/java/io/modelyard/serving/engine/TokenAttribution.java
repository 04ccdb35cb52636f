package io.modelyard.serving.engine;

/**
 * How much one token pushed the prediction: the drop of the predicted class's probability when the token is
 * masked out (negative when the token spoke against the class).
 *
 * @param position the 0-based token index in the tokenized text
 */
public record TokenAttribution(String token, int position, double attribution) {
}

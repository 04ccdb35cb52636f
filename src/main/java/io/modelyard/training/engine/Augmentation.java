package io.modelyard.training.engine;

/**
 * Extra training copies of each text with words dropped or swapped, for small text sets (off by default). Only
 * the training split is augmented; the vocabulary is fitted on the original texts.
 *
 * @param copies       perturbed copies added per training text (1 to 10)
 * @param tokenDropout probability that a word of a copy is dropped (0 to 0.5)
 * @param tokenSwap    probability that a word of a copy trades places with the next one (0 to 0.5)
 */
public record Augmentation(int copies, double tokenDropout, double tokenSwap) {
}

package io.modelyard.serving.engine;

import java.util.List;

/** Why a text model chose {@code label}: its tokens ranked by attribution, highest first. */
public record Explanation(String label, double probability, List<TokenAttribution> tokens) {
}

package io.modelyard.serving.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why a model chose {@code label}. A text model's: its tokens ranked by attribution, highest first. An image
 * model's: {@code occlusion}, rows of grid cells from the top left, each the drop of {@code probability} when that
 * cell of the image (as the model sees it, resized and cropped) is covered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(String label, double probability, List<TokenAttribution> tokens,
        List<List<Double>> occlusion) {

    public Explanation(String label, double probability, List<TokenAttribution> tokens) {
        this(label, probability, tokens, null);
    }
}

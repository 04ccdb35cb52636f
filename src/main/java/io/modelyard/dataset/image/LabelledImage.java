package io.modelyard.dataset.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.image.ImageFormat;
import io.modelyard.image.ImageMode;

/**
 * An image of the archive with its label.
 *
 * @param split the split its folder or the manifest gave it; null when neither did (drawn later)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LabelledImage(String path, String sha256, String label, ImageSplit split, int width, int height,
        ImageMode mode, ImageFormat format, long dHash) {
}

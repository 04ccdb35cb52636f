package io.modelyard.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image, upright and in RGB.
 *
 * @param pixels      {@code TYPE_INT_RGB}, with EXIF orientation applied and any transparency flattened onto
 *                    white (models take three channels; {@code mode} still says the source had alpha)
 * @param width       after orientation
 * @param height      after orientation
 * @param orientation the EXIF orientation that was applied, 1 (none) to 8
 */
public record DecodedImage(BufferedImage pixels, ImageFormat format, ImageMode mode, int width, int height,
        int orientation) {
}

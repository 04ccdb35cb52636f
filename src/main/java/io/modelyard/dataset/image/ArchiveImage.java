package io.modelyard.dataset.image;

import io.modelyard.image.ImageFormat;
import io.modelyard.image.ImageMode;

/**
 * One decodable image as the reader meets it, before labels are known (the manifest may come later).
 *
 * @param path      the entry's path inside the archive, as the zip names it
 * @param sha256    lowercase hex of {@code bytes}
 * @param bytes     the file exactly as uploaded
 * @param width     after EXIF orientation
 * @param height    after EXIF orientation
 * @param thumbnail a small JPEG preview; null (and {@code dHash} 0) when read for predictions, which show neither
 */
public record ArchiveImage(String path, String sha256, byte[] bytes, int width, int height, ImageMode mode,
        ImageFormat format, long dHash, byte[] thumbnail) {
}

/**
 * Decoding untrusted image files, framework-free: {@link io.modelyard.image.ImageDecoder} (format from the
 * signature, pixel limit from the header before decoding, EXIF orientation, source colour mode; JPEG, PNG,
 * GIF, BMP and WebP through ImageIO and the TwelveMonkeys plugins; a header's dimensions alone, to bound a
 * request's pixels before decoding), {@link io.modelyard.image.PerceptualHash}
 * (64-bit dHash, near-duplicates at most 5 bits apart) and {@link io.modelyard.image.Thumbnails}.
 * Knows nothing of datasets: it imports only the JDK and its libraries.
 */
package io.modelyard.image;

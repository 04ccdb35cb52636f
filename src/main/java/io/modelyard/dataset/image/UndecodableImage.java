package io.modelyard.dataset.image;

/** An entry that starts like an image but could not be decoded, and why. It is left out of the dataset. */
public record UndecodableImage(String path, String reason) {
}

package io.modelyard.image;

/** An image's width and height as its header declares them, before any pixel is decoded. */
public record ImageDimensions(int width, int height) {

    /** Width x height: what decoding the image would allocate, in pixels. */
    public long pixels() {
        return (long) width * height;
    }
}

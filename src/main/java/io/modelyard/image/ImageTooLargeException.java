package io.modelyard.image;

/** The image header declares more pixels than the decoder may allocate; nothing was decoded. */
public class ImageTooLargeException extends Exception {

    private final int width;
    private final int height;
    private final long maxPixels;

    public ImageTooLargeException(int width, int height, long maxPixels) {
        super("The image is " + width + " x " + height + " = " + (long) width * height
                + " pixels; at most " + maxPixels + " are allowed.");
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }
}

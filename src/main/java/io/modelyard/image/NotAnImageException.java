package io.modelyard.image;

/** The bytes carry no signature of a supported image format: they are something else entirely. */
public class NotAnImageException extends Exception {

    public NotAnImageException(String reason) {
        super(reason);
    }
}

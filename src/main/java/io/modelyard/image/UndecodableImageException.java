package io.modelyard.image;

/**
 * The bytes start like an image but cannot be decoded: corrupt, truncated, or a variant no reader supports.
 * The message is a reason a person can act on.
 */
public class UndecodableImageException extends Exception {

    public UndecodableImageException(String reason) {
        super(reason);
    }
}

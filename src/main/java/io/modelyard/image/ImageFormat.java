package io.modelyard.image;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats the platform accepts, recognised by their leading bytes. The file name is never trusted:
 * a {@code .png} that starts like a JPEG is a JPEG, and a {@code .jpg} that starts like nothing is not an
 * image.
 */
public enum ImageFormat {

    JPEG("jpeg"), PNG("png"), GIF("gif"), BMP("bmp"), WEBP("webp");

    /** Enough bytes for every signature below (BMP reads its DIB header size at offset 14). */
    public static final int SIGNATURE_BYTES = 18;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The format name ImageIO registers its readers under. */
    String imageIoName() {
        return imageIoName;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format whose signature {@code head} starts with; empty when it matches none. */
    public static Optional<ImageFormat> sniff(byte[] head) {
        if (startsWith(head, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 0, ascii("BM")) && isBmpInfoHeaderSize(head)) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    /** "BM" alone is two bytes any text file may start with; the DIB header size narrows it to real BMPs. */
    private static boolean isBmpInfoHeaderSize(byte[] head) {
        if (head.length < 18) {
            return false;
        }
        int size = (head[14] & 0xFF) | (head[15] & 0xFF) << 8 | (head[16] & 0xFF) << 16 | (head[17] & 0xFF) << 24;
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108
                || size == 124;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] data, int offset, byte... prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

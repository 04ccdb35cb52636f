package io.modelyard.image;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The colour layout of the source file, before the decoder turns every image into RGB. A palette image is
 * named after what its palette holds, so a report can tell a GIF with transparency from a grey one.
 */
public enum ImageMode {
    GRAYSCALE, GRAYSCALE_ALPHA, RGB, RGBA, CMYK, INDEXED_GRAYSCALE, INDEXED_RGB, INDEXED_RGBA;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

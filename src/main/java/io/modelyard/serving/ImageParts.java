package io.modelyard.serving;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.upload.MultipartReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A prediction request sent as {@code multipart/form-data}, the way a browser form or {@code curl -F} sends files:
 * one {@code image} part per input, in order, and optional {@code top_k} and {@code explain} fields. Each part is
 * read only up to its limit, so an oversized file is refused before it is held: an image over
 * {@code max-image-bytes}, more than {@code max-inputs} images, or more than {@code max-multipart-bytes} in all
 * answer 413. The images then take the path of base64 images in JSON, as bytes (nothing re-encoded), with refusals
 * naming the parts ({@code image[i]}).
 */
public final class ImageParts {

    private static final int MAX_FIELD_BYTES = 64;

    private ImageParts() {
    }

    /** What the parts hold: the images' bytes in order, and the options. */
    public record ImageRequest(List<byte[]> images, Integer topK, Boolean explain) {
    }

    /** The request the parts make. */
    public static ImageRequest read(InputStream body, String contentType, ServingConfig config) {
        long maxImage = config.maxImageBytes().asLongValue();
        long maxTotal = config.maxMultipartBytes().asLongValue();
        List<byte[]> inputs = new ArrayList<>();
        Integer topK = null;
        Boolean explain = null;
        long total = 0;
        try {
            MultipartReader parts = MultipartReader.open(body, contentType);
            for (MultipartReader.Part part; (part = parts.next()) != null; ) {
                String name = part.name() == null ? "" : part.name();
                switch (name) {
                    case "image" -> {
                        String field = "image[" + inputs.size() + "]";
                        if (inputs.size() == config.maxInputs()) {
                            throw new ProblemException(413, "too-many-inputs", "Too many inputs", "This request "
                                    + "has more than " + config.maxInputs() + " image parts; at most "
                                    + config.maxInputs() + " are allowed per request.")
                                    .with("limit", config.maxInputs());
                        }
                        byte[] image = readAtMost(part.content(), maxImage);
                        if (image.length > maxImage) {
                            throw new ProblemException(413, "image-too-large", "Image too large", field + " ("
                                    + fileName(part) + ") has more than " + maxImage + " bytes; at most " + maxImage
                                    + " are allowed per image.").with("limit", maxImage).with("row", inputs.size())
                                    .with("errors", List.of(new ProblemException.FieldError(field,
                                            "at most " + maxImage + " bytes")));
                        }
                        total += image.length;
                        if (total > maxTotal) {
                            throw ProblemException.tooLarge("The images of this request add up to more than "
                                    + maxTotal + " bytes, the most one request may carry; send them in several.")
                                    .with("limit", maxTotal);
                        }
                        inputs.add(image);
                    }
                    case "top_k" -> topK = integer(field(part), "top_k");
                    case "explain" -> explain = bool(field(part), "explain");
                    default -> throw ProblemException.invalidField(name.isEmpty() ? "(unnamed part)" : name,
                            "unknown part; send one 'image' part per input, and optionally 'top_k' and 'explain'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (inputs.isEmpty()) {
            throw ProblemException.invalidField("image", "send at least one 'image' part");
        }
        return new ImageRequest(inputs, topK, explain);
    }

    private static String fileName(MultipartReader.Part part) {
        return part.filename() == null ? "no file name" : part.filename();
    }

    /** Up to {@code limit + 1} bytes: one more than allowed says the part is too large. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }

    private static String field(MultipartReader.Part part) throws IOException {
        byte[] value = readAtMost(part.content(), MAX_FIELD_BYTES);
        if (value.length > MAX_FIELD_BYTES) {
            throw ProblemException.invalidField(part.name(), "too long for a form field");
        }
        return new String(value, StandardCharsets.UTF_8).strip();
    }

    private static Integer integer(String value, String field) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(field, "must be a whole number");
        }
    }

    /** A checkbox sends "on"; an API client "true" or "false". */
    private static Boolean bool(String value, String field) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "1" -> true;
            case "false", "off", "0", "" -> false;
            default -> throw ProblemException.invalidField(field, "must be true or false");
        };
    }
}

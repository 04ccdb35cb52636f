package io.modelyard.dataset.format;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The upload formats: CSV (RFC 4180 with a header row) and JSON Lines (one object per line). */
public enum DatasetFormat {
    CSV("csv"), JSONL("jsonl");

    private final String id;

    DatasetFormat(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** The format a request's media type names, ignoring parameters such as {@code charset}. */
    public static Optional<DatasetFormat> fromMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String type = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "text/csv", "application/csv", "text/tab-separated-values" -> Optional.of(CSV);
            case "application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines",
                    "application/json-lines" -> Optional.of(JSONL);
            default -> Optional.empty();
        };
    }
}

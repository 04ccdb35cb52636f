package io.modelyard.serving.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.common.ProblemException;

/** The file a batch prediction writes. */
public enum ResultFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    JSONL("jsonl", "application/x-ndjson");

    private final String wireName;
    private final String mediaType;

    ResultFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    String mediaType() {
        return mediaType;
    }

    /** The request's {@code format}: null means jsonl; anything else unknown is a 400 naming the field. */
    static ResultFormat parse(String value) {
        if (value == null) {
            return JSONL;
        }
        for (ResultFormat format : values()) {
            if (format.wireName.equals(value)) {
                return format;
            }
        }
        throw ProblemException.invalidField("format", "must be csv or jsonl");
    }
}

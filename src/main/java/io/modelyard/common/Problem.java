package io.modelyard.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** The RFC 9457 body. Extension members sit at the top level beside the standard ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(String type, String title, int status, String detail, String instance,
        @JsonAnyGetter Map<String, Object> extensions) {

    public static final String TYPE_BASE = "https://modelyard.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemException e, String instance) {
        return new Problem(TYPE_BASE + e.type(), e.title(), e.status(), e.detail(), instance, e.extensions());
    }
}

package io.modelyard.openai;

import io.modelyard.common.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * OpenAI's SDKs read errors as {@code {"error": {"message", "type", "param", "code"}}}; the rest of the platform
 * answers problem+json. Every problem answered under {@code /openai/} — from this package, from the services it
 * calls, from authentication, validation, quotas and rate limits — is rewritten into OpenAI's shape with the same
 * status and headers, so one set of services keeps one set of errors.
 */
public class OpenAiErrors {

    static final String PREFIX = "/openai/";

    @ServerResponseFilter
    public void toOpenAiShape(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem)
                || !request.getUriInfo().getPath().startsWith(PREFIX)) {
            return;
        }
        response.setEntity(body(problem), null, MediaType.APPLICATION_JSON_TYPE);
    }

    /** The OpenAI error object for a problem. */
    static Map<String, Object> body(Problem problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.detail());
        error.put("type", type(problem.status()));
        error.put("param", param(problem));
        error.put("code", code(problem));
        return Map.of("error", error);
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "insufficient_quota";
            case 403 -> "permission_error";
            case 404 -> "invalid_request_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /** OpenAI's codes are snake_case; ours are the problem type's last segment, kebab-case. */
    private static String code(Problem problem) {
        if (problem.extensions().get("openai_code") instanceof String code) {
            return code;
        }
        if (problem.status() == 401) {
            return "invalid_api_key";
        }
        String type = problem.type() == null ? "" : problem.type();
        return type.substring(type.lastIndexOf('/') + 1).replace('-', '_');
    }

    private static Object param(Problem problem) {
        if (problem.extensions().get("param") instanceof String param) {
            return param;
        }
        if (problem.extensions().get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            Object first = errors.get(0);
            if (first instanceof io.modelyard.common.ProblemException.FieldError field) {
                return field.field();
            }
            if (first instanceof Map<?, ?> map && map.get("field") != null) {
                return map.get("field").toString();
            }
        }
        if (problem.extensions().get("column") instanceof String column) {
            return column;
        }
        return null;
    }
}

package io.modelyard.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the generated OpenAPI document with what holds for every operation, so tools (clients, gateways,
 * linters) see the contract the filters and mappers actually keep:
 * <ul>
 * <li>every error response has a schema: {@code application/problem+json} ({@code Problem}), or OpenAI's
 * {@code {"error": {...}}} under {@code /openai};</li>
 * <li>the errors any operation can answer are declared: 401/403 where authentication is required, 404 where a path
 * names an object, 400 where there is input, 402 and 429 wherever an API key can call (every API-key request is
 * rate limited and counts against the {@code api_requests} quota), 500 always; 429 with its headers;</li>
 * <li>API keys are their own security scheme (HTTP bearer, not a JWT), an alternative to Keycloak's tokens.</li>
 * </ul>
 * It runs when {@code /q/openapi} is asked for, on a copy of the document, rather than at start-up: without a
 * per-request filter Quarkus writes the whole document out as JSON and as YAML during every start (a good part of
 * the api role's start-up); with one it keeps the parsed document and writes it when a tool asks, now and then.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class OpenApiContract implements OASFilter {

    static final String KEYCLOAK = "keycloak";
    static final String API_KEY = "apiKey";
    private static final String PROBLEM = "Problem";
    private static final String OPENAI_ERROR = "OpenAiError";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? OASFactory.createComponents()
                : openApi.getComponents();
        openApi.setComponents(components);
        components.addSchema(PROBLEM, problemSchema());
        components.addSchema(OPENAI_ERROR, openAiErrorSchema());
        components.addSecurityScheme(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An API key (myd_live_...), sent as Authorization: Bearer <key>. Made"
                        + " with POST /v1/api-keys; its scopes limit what it may do."));
        if (components.getSecuritySchemes() != null && components.getSecuritySchemes().get(KEYCLOAK) != null) {
            components.getSecuritySchemes().get(KEYCLOAK).setDescription("A Keycloak access token (people), sent as"
                    + " Authorization: Bearer <token>");
        }
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> complete(path, method, operation)));
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        boolean openAi = path.startsWith("/openai/");
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            List<SecurityRequirement> either = new ArrayList<>();
            either.add(OASFactory.createSecurityRequirement().addScheme(KEYCLOAK));
            either.add(OASFactory.createSecurityRequirement().addScheme(API_KEY));
            operation.setSecurity(either);
        }
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                : operation.getResponses();
        operation.setResponses(responses);
        boolean input = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (input) {
            ensure(responses, "400", "The request is malformed or invalid (validation errors name the field)");
        }
        if (secured) {
            ensure(responses, "401", "No credentials, or they are invalid or expired");
            ensure(responses, "403", "The credentials may not do this (role or API-key scope), or the tenant is"
                    + " suspended");
        }
        if (path.contains("{")) {
            ensure(responses, "404", "No such object in this tenant (another tenant's objects are not found either)");
        }
        if (secured && PublicApiPaths.isPublicApi(path)) {
            ensure(responses, "402", "A hard quota of the plan is exhausted (quota-exceeded: meter, limit, used,"
                    + " resets_at)");
            ensure(responses, "429", "A rate limit of the API key or the tenant was hit (rate-limited); retry after"
                    + " Retry-After seconds");
            responses.getAPIResponse("429").setHeaders(rateLimitHeaders());
        }
        ensure(responses, "500", "An unexpected failure on our side (quote the request_id)");
        Map<String, APIResponse> all = responses.getAPIResponses() == null ? Map.of() : responses.getAPIResponses();
        all.forEach((code, response) -> {
            if (code.length() == 3 && (code.startsWith("4") || code.startsWith("5"))) {
                response.setContent(errorContent(openAi));
            }
        });
    }

    private static void ensure(APIResponses responses, String code, String description) {
        if (responses.getAPIResponse(code) == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Content errorContent(boolean openAi) {
        String ref = "#/components/schemas/" + (openAi ? OPENAI_ERROR : PROBLEM);
        return OASFactory.createContent().addMediaType(openAi ? "application/json" : Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ref)));
    }

    private static Map<String, Header> rateLimitHeaders() {
        Map<String, Header> headers = new LinkedHashMap<>();
        headers.put("Retry-After", header("Seconds to wait before retrying"));
        headers.put("RateLimit-Limit", header("Requests allowed in the window"));
        headers.put("RateLimit-Remaining", header("Requests left in the window"));
        headers.put("RateLimit-Reset", header("Seconds until the window resets"));
        return headers;
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
    }

    private static Schema problemSchema() {
        Schema error = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string("The offending field, e.g. inputs[3].income"))
                .addProperty("message", string("What is wrong with it"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem. Extension members sit beside the standard ones: errors (validation),"
                        + " meter/limit/used/resets_at (quotas), row/column (data errors), request_id; under /v2 also"
                        + " error (the Open Inference Protocol's message).")
                .addRequired("type").addRequired("title").addRequired("status")
                .addProperty("type", string("A stable URI under https://modelyard.dev/problems/"))
                .addProperty("title", string("A short, human summary of the type"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string("What happened in this case"))
                .addProperty("instance", string("The request path"))
                .addProperty("request_id", string("Quote it when you contact support"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(error))
                .additionalPropertiesBoolean(true);
    }

    private static Schema openAiErrorSchema() {
        Schema error = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("message", string("What happened"))
                .addProperty("type", string("invalid_request_error, authentication_error, permission_error,"
                        + " insufficient_quota, rate_limit_error or server_error"))
                .addProperty("param", string("The offending parameter, or null"))
                .addProperty("code", string("A stable code, e.g. invalid_file_format, model_not_available"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("OpenAI's error shape, answered under /openai").addProperty("error", error);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}

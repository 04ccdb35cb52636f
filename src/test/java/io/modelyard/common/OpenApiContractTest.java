package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document as a client generator or a gateway reads it. */
@QuarkusTest
class OpenApiContractTest {

    @Test
    void everyErrorResponseHasASchemaAndLimitsAreDeclared() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(RestAssured.given().queryParam("format", "json")
                .get("/q/openapi").asString());
        List<String> problems = new ArrayList<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode responses = op.getValue().path("responses");
                boolean openAi = path.getKey().startsWith("/openai/");
                responses.fields().forEachRemaining(r -> {
                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                        String media = openAi ? "application/json" : "application/problem+json";
                        String ref = r.getValue().path("content").path(media).path("schema").path("$ref").asText();
                        if (!ref.equals("#/components/schemas/" + (openAi ? "OpenAiError" : "Problem"))) {
                            problems.add(name + " " + r.getKey() + " has no " + media + " schema");
                        }
                    }
                });
                boolean secured = op.getValue().path("security").size() > 0;
                if (secured && PublicApiPaths.isPublicApi(path.getKey())) {
                    for (String code : List.of("401", "402", "403", "429", "500")) {
                        if (!responses.has(code)) {
                            problems.add(name + " does not declare " + code);
                        }
                    }
                    if (!responses.path("429").path("headers").has("Retry-After")) {
                        problems.add(name + " 429 lacks Retry-After");
                    }
                    List<String> schemes = new ArrayList<>();
                    op.getValue().path("security").forEach(s -> s.fieldNames().forEachRemaining(schemes::add));
                    if (!schemes.containsAll(List.of("keycloak", "apiKey"))) {
                        problems.add(name + " accepts " + schemes + ", not both a token and an API key");
                    }
                }
                if (path.getKey().contains("{") && !responses.has("404")) {
                    problems.add(name + " names an object but declares no 404");
                }
            }
        }
        assertTrue(operations > 80, "the document lists the API (" + operations + " operations)");
        assertEquals(List.of(), problems);

        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertEquals("http", schemes.path("apiKey").path("type").asText());
        assertEquals("bearer", schemes.path("apiKey").path("scheme").asText());
        assertFalse(schemes.path("apiKey").has("bearerFormat"), "an API key is not a JWT");
        assertEquals("JWT", schemes.path("keycloak").path("bearerFormat").asText());
        assertTrue(doc.path("components").path("schemas").path("Problem").path("properties").has("detail"));
        assertTrue(doc.path("paths").has("/openai/v1/fine_tuning/jobs"));
    }
}

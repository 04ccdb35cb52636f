package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result is what the HTTP layer persists and returns: it must be clean snake_case JSON. */
class ResultJsonTest {

    private static final Pattern SNAKE = Pattern.compile("[a-z0-9_]+");

    @TempDir
    Path dir;

    @Test
    void everyKeyIsSnakeCaseAndEnumsAreLowercase() throws IOException {
        IngestResult result = new PipelineFixture(dir).text(TextIngestTest.UPLOAD);
        JsonNode json = new ObjectMapper().valueToTree(result);
        List<String> keys = new ArrayList<>();
        collectKeys(json, keys);
        for (String key : keys) {
            assertTrue(SNAKE.matcher(key).matches(), key);
        }
        assertEquals("text_classification", json.at("/schema/task").asText());
        assertEquals("valid_with_warnings", json.at("/validation/status").asText());
        assertEquals(9, json.at("/validation/rows_read").asInt());
        assertEquals(3, json.at("/cleaning/rows_removed").asInt());
        assertEquals("collapse", json.at("/cleaning/options/whitespace").asText());
        assertEquals(result.raw().sha256(), json.at("/raw/sha256").asText());
        assertEquals("csv", json.at("/source/format").asText());
        assertEquals("text", json.at("/column_types/0").asText());
        assertEquals("label", json.at("/schema/columns/1/role").asText());
        assertEquals(3.0, json.at("/profile/labels/imbalance_ratio").asDouble());
        assertEquals(11.5, json.at("/profile/column_profiles/0/text/characters/quantiles/p50").asDouble());
        assertEquals("warning", json.at("/validation/issues/0/severity").asText());
        assertFalse(json.at("/validation/issues/0").has("column") && json.at("/validation/issues/0/column").isNull());
    }

    private static void collectKeys(JsonNode node, List<String> keys) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                keys.add(name);
                collectKeys(node.get(name), keys);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectKeys(child, keys));
        }
    }
}

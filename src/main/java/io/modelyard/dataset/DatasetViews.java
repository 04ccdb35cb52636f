package io.modelyard.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelyard.dataset.split.SplitCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Rows to views, and values to and from the JSON columns (written with the API's snake_case mapper). */
@ApplicationScoped
class DatasetViews {

    private final ObjectMapper json;

    DatasetViews(ObjectMapper json) {
        this.json = json;
    }

    DatasetView dataset(Dataset d, DatasetVersion latest) {
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = json.convertValue(read(d.metadata), Map.class);
        return new DatasetView(d.id, "dataset", d.name, d.task, d.status, read(d.columnMap), read(d.sourceFormat),
                d.versionCount, d.storedBytes, latest == null ? null : version(latest), metadata, d.createdBy,
                d.createdAt, d.updatedAt);
    }

    DatasetVersionView version(DatasetVersion v) {
        return new DatasetVersionView(v.id, "dataset_version", v.datasetId, v.number, v.kind, v.parentVersionId,
                v.rowCount, new SplitCounts(v.splitTrain, v.splitValidation, v.splitTest), schema(v),
                read(v.validation), read(v.cleaning), read(v.profile), read(v.options),
                new DatasetVersionView.Blob(v.rawSizeBytes, v.rawSha256),
                new DatasetVersionView.Blob(v.blobSizeBytes, v.blobSha256), v.createdBy, v.createdAt);
    }

    /** The stored schema with each column's inferred type beside its role. */
    private JsonNode schema(DatasetVersion v) {
        JsonNode schema = read(v.schema).deepCopy();
        JsonNode types = read(v.columnTypes);
        JsonNode columns = schema.path("columns");
        if (columns instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i) instanceof ObjectNode column && types.has(i)) {
                    column.set("type", types.get(i));
                }
            }
        }
        return schema;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored dataset options are unreadable", e);
        }
    }

    ObjectMapper mapper() {
        return json;
    }
}

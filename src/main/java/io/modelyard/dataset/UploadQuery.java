package io.modelyard.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetRequests.CleaningSettings;
import io.modelyard.dataset.DatasetRequests.SplitSettings;
import io.modelyard.dataset.DatasetRequests.UploadOptions;
import io.modelyard.dataset.schema.ColumnMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Upload options from a raw upload's query string ({@code ?name=reviews&task=text_classification&
 * text_column=review&label_column=stars&split_seed=7&metadata[team]=search}), or from a multipart upload's JSON
 * {@code options} part. Unknown parameters are refused, so a typo does not silently fall back to a default.
 */
final class UploadQuery {

    static final int MAX_OPTIONS_BYTES = 64 * 1024;

    private static final Set<String> KNOWN = Set.of("name", "task", "format", "delimiter", "text_column",
            "label_column", "feature_columns", "target_column", "split_column", "ignore_columns", "unicode_nfc",
            "whitespace", "drop_duplicates", "missing", "missing_constant", "missing_by_column", "missing_tokens",
            "conflicts", "outliers", "outlier_action", "outlier_threshold", "outlier_include_target", "label_case",
            "split_train", "split_validation", "split_test", "split_seed", "split_stratify", "split_source");

    private UploadQuery() {
    }

    static UploadOptions parse(MultivaluedMap<String, String> query) {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String key : query.keySet()) {
            if (key.startsWith("metadata[") && key.endsWith("]")) {
                metadata.put(key.substring("metadata[".length(), key.length() - 1), query.getFirst(key));
            } else if (!KNOWN.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            List<ProblemException.FieldError> errors = unknown.stream()
                    .map(k -> new ProblemException.FieldError(k, "is not a known upload parameter")).toList();
            throw OptionsResolver.invalid(unknown.iterator().next(), "is not a known upload parameter")
                    .with("errors", errors);
        }
        ColumnMap columns = null;
        if (has(query, "text_column", "label_column", "feature_columns", "target_column", "split_column",
                "ignore_columns")) {
            columns = new ColumnMap(query.getFirst("text_column"), query.getFirst("label_column"),
                    list(query, "feature_columns"), query.getFirst("target_column"), query.getFirst("split_column"),
                    list(query, "ignore_columns"));
        }
        CleaningSettings cleaning = new CleaningSettings(bool(query, "unicode_nfc"), query.getFirst("whitespace"),
                bool(query, "drop_duplicates"), query.getFirst("missing"), query.getFirst("missing_constant"),
                byColumn(query.getFirst("missing_by_column")), list(query, "missing_tokens"),
                query.getFirst("conflicts"), query.getFirst("outliers"), query.getFirst("outlier_action"),
                number(query, "outlier_threshold"), bool(query, "outlier_include_target"),
                query.getFirst("label_case"));
        Long seed = null;
        if (query.getFirst("split_seed") != null) {
            try {
                seed = Long.parseLong(query.getFirst("split_seed").strip());
            } catch (NumberFormatException e) {
                throw OptionsResolver.invalid("split_seed", "must be a whole number");
            }
        }
        SplitSettings split = new SplitSettings(number(query, "split_train"), number(query, "split_validation"),
                number(query, "split_test"), seed, bool(query, "split_stratify"), query.getFirst("split_source"));
        return new UploadOptions(query.getFirst("name"), query.getFirst("task"), query.getFirst("format"),
                query.getFirst("delimiter"), columns, cleaning, split, metadata.isEmpty() ? null : metadata);
    }

    /** The JSON {@code options} part of a multipart upload (at most 64 KiB). */
    static UploadOptions json(InputStream part, ObjectMapper json) throws IOException {
        byte[] bytes = part.readNBytes(MAX_OPTIONS_BYTES + 1);
        if (bytes.length > MAX_OPTIONS_BYTES) {
            throw OptionsResolver.invalid("options", "must be at most " + MAX_OPTIONS_BYTES + " bytes of JSON");
        }
        try {
            return json.readValue(bytes, UploadOptions.class);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw OptionsResolver.invalid("options." + e.getPropertyName(), "is not a known option");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]"
                    : r.getFieldName()).reduce("options", (a, b) -> a + "." + b);
            throw OptionsResolver.invalid(field, "has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw OptionsResolver.invalid("options", "is not valid JSON");
        }
    }

    private static boolean has(MultivaluedMap<String, String> query, String... keys) {
        return Arrays.stream(keys).anyMatch(query::containsKey);
    }

    private static List<String> list(MultivaluedMap<String, String> query, String key) {
        List<String> values = query.get(key);
        if (values == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }

    private static Map<String, String> byColumn(String value) {
        if (value == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw OptionsResolver.invalid("missing_by_column", "takes column:strategy pairs separated by commas");
            }
            map.put(item.substring(0, colon).strip(), item.substring(colon + 1).strip());
        }
        return map;
    }

    private static Boolean bool(MultivaluedMap<String, String> query, String key) {
        String value = query.getFirst(key);
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw OptionsResolver.invalid(key, "must be true or false");
        };
    }

    private static Double number(MultivaluedMap<String, String> query, String key) {
        String value = query.getFirst(key);
        if (value == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw OptionsResolver.invalid(key, "must be a number");
        }
    }
}

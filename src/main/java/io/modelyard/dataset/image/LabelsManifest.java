package io.modelyard.dataset.image;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code labels.csv}: a header row naming {@code file} and {@code label} (and optionally {@code split}), then
 * one row per image; {@code file} is relative to the folder holding the manifest. Quoted fields may contain
 * commas and doubled quotes, not line breaks (no file name or label needs one).
 */
final class LabelsManifest {

    /** What one row says about one file; {@code split} null when the row leaves it blank. */
    record Row(int row, String label, ImageSplit split) {
    }

    private LabelsManifest() {
    }

    /** The rows by {@code file}, in file order. */
    static Map<String, Row> parse(String entry, byte[] bytes) {
        List<String> lines = decode(entry, bytes).lines().toList();
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw DatasetProblem.MISSING_HEADER.inEntry(entry, entry + " has no header row (file,label[,split]).");
        }
        List<String> header = fields(entry, 1, lines.get(0)).stream()
                .map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
        int file = header.indexOf("file");
        int label = header.indexOf("label");
        int split = header.indexOf("split");
        if (file < 0 || label < 0) {
            throw DatasetProblem.MISSING_COLUMN.inEntry(entry, entry + " must have the columns file and label; "
                    + "its header is " + String.join(",", header) + ".").with("column", file < 0 ? "file" : "label");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            int rowNumber = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> values = fields(entry, rowNumber, lines.get(i));
            if (values.size() != header.size()) {
                throw at(DatasetProblem.RAGGED_ROW, entry, rowNumber, "Row " + rowNumber + " of " + entry + " has "
                        + values.size() + " fields; the header has " + header.size() + ".");
            }
            String path = normalise(values.get(file));
            String labelValue = values.get(label).trim();
            if (labelValue.isEmpty()) {
                throw at(DatasetProblem.UNLABELLED_IMAGE, entry, rowNumber, "Row " + rowNumber + " of " + entry
                        + " gives " + path + " no label.");
            }
            ImageSplit splitValue = split < 0 || values.get(split).isBlank() ? null
                    : ImageSplit.named(values.get(split)).orElseThrow(() -> at(DatasetProblem.INVALID_SPLIT_VALUE,
                            entry, rowNumber, "Row " + rowNumber + " of " + entry + " has split '" + values.get(split)
                                    + "'; use train, validation (or val), test, or leave it blank."));
            if (rows.put(path, new Row(rowNumber, labelValue, splitValue)) != null) {
                throw at(DatasetProblem.MALFORMED_CSV, entry, rowNumber, "Row " + rowNumber + " of " + entry
                        + " names " + path + " a second time.");
            }
        }
        return rows;
    }

    private static String normalise(String path) {
        String trimmed = path.trim().replace('\\', '/');
        return trimmed.startsWith("./") ? trimmed.substring(2) : trimmed;
    }

    private static String decode(String entry, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw DatasetProblem.INVALID_UTF8.inEntry(entry, entry + " is not UTF-8 text.");
        }
    }

    private static List<String> fields(String entry, int row, String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw at(DatasetProblem.MALFORMED_CSV, entry, row, "Row " + row + " of " + entry
                    + " has an unclosed quote.");
        }
        fields.add(field.toString());
        return fields;
    }

    private static ProblemException at(DatasetProblem problem, String entry, int row, String detail) {
        return problem.inEntry(entry, detail).with("row", row);
    }
}

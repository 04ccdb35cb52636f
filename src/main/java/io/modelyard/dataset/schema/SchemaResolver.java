package io.modelyard.dataset.schema;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.model.spec.TaskType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves a {@link ColumnMap} against an upload's header, guessing what the map leaves out.
 *
 * <p>Guesses, by case-insensitive name: the text column among {@value #TEXT_NAMES_DOC}; the label among
 * {@value #LABEL_NAMES_DOC}; the split column among {@code split}, {@code __split}. With two candidate
 * columns and one of text/label known, the other is the other. For tabular tasks the target is a column named
 * like a label, else the last column; features are every column with no other part.
 */
public final class SchemaResolver {

    static final String TEXT_NAMES_DOC = "text, sentence, review, content, body, message, comment, document, "
            + "utterance, query, input, tweet";
    static final String LABEL_NAMES_DOC = "label, labels, class, category, target, y, sentiment, intent, tag";
    private static final List<String> TEXT_NAMES = List.of(TEXT_NAMES_DOC.split(", "));
    private static final List<String> LABEL_NAMES = List.of(LABEL_NAMES_DOC.split(", "));
    private static final List<String> TARGET_NAMES = List.of("target", "label", "class", "y", "outcome");
    private static final String RESERVED_SPLIT = "__split";
    private static final List<String> SPLIT_NAMES = List.of("split", RESERVED_SPLIT);
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private SchemaResolver() {
    }

    /** The outcome: the schema, the header as used (blank names filled in), and what was filled in. */
    public record Resolution(DatasetSchema schema, List<String> header, List<String> renamedColumns) {
    }

    /**
     * @param useSplitColumn whether a split column may be taken from the upload (named or guessed)
     */
    public static Resolution resolve(TaskType task, List<String> rawHeader, ColumnMap map, boolean useSplitColumn) {
        ColumnMap columns = map == null ? ColumnMap.GUESS : map;
        List<String> renamed = new ArrayList<>();
        List<String> header = checkHeader(rawHeader, renamed);

        Set<String> taken = new HashSet<>();
        Set<String> ignored = new HashSet<>();
        if (columns.ignore() != null) {
            for (String name : columns.ignore()) {
                ignored.add(require(header, name, "ignore"));
            }
        }
        taken.addAll(ignored);

        String split = null;
        if (columns.split() != null) {
            split = require(header, columns.split(), "split");
        } else if (useSplitColumn) {
            split = byName(header, SPLIT_NAMES, taken);
        }
        if (split != null) {
            claim(taken, split, "split");
        }
        // The processed format's own split column never becomes data, even when splits are drawn anew.
        if (header.contains(RESERVED_SPLIT) && !RESERVED_SPLIT.equals(split)) {
            taken.add(RESERVED_SPLIT);
        }

        List<SchemaColumn> resolved = new ArrayList<>();
        if (task.hasOneInput()) {
            String text = columns.text() != null ? require(header, columns.text(), "text") : null;
            String label = columns.label() != null ? require(header, columns.label(), "label") : null;
            if (text != null) {
                claim(taken, text, "text");
            }
            if (label != null) {
                claim(taken, label, "label");
            }
            // Names first, then "the one column left" for whichever part is still missing.
            if (text == null && (text = byName(header, TEXT_NAMES, taken)) != null) {
                claim(taken, text, "text");
            }
            if (label == null && (label = byName(header, LABEL_NAMES, taken)) != null) {
                claim(taken, label, "label");
            }
            if (text == null) {
                text = onlyOther(header, taken);
                if (text == null) {
                    throw missing(header, "text", "a text column (named like " + TEXT_NAMES_DOC + ")");
                }
                claim(taken, text, "text");
            }
            if (label == null) {
                label = onlyOther(header, taken);
                if (label == null) {
                    throw missing(header, "label", "a label column (named like " + LABEL_NAMES_DOC + ")");
                }
                claim(taken, label, "label");
            }
            resolved.add(new SchemaColumn(text, ColumnRole.TEXT, header.indexOf(text)));
            resolved.add(new SchemaColumn(label, ColumnRole.LABEL, header.indexOf(label)));
        } else {
            String targetName = columns.target() != null ? columns.target() : columns.label();
            String target;
            if (targetName != null) {
                target = require(header, targetName, "target");
            } else {
                target = byName(header, TARGET_NAMES, taken);
                if (target == null) {
                    target = lastFree(header, taken);
                }
                if (target == null) {
                    throw missing(header, "target", "a target column");
                }
            }
            claim(taken, target, "target");
            List<String> features = new ArrayList<>();
            if (columns.features() != null && !columns.features().isEmpty()) {
                for (String name : columns.features()) {
                    String feature = require(header, name, "features");
                    claim(taken, feature, "features");
                    features.add(feature);
                }
            } else {
                for (String name : header) {
                    if (!taken.contains(name)) {
                        features.add(name);
                        taken.add(name);
                    }
                }
            }
            if (features.isEmpty()) {
                throw missing(header, "features", "at least one feature column besides the target");
            }
            for (String feature : features) {
                resolved.add(new SchemaColumn(feature, ColumnRole.FEATURE, header.indexOf(feature)));
            }
            ColumnRole role = task.isClassification() ? ColumnRole.LABEL : ColumnRole.TARGET;
            resolved.add(new SchemaColumn(target, role, header.indexOf(target)));
        }
        List<String> left = new ArrayList<>();
        for (String name : header) {
            if (!name.equals(split) && resolved.stream().noneMatch(c -> c.name().equals(name))) {
                left.add(name);
            }
        }
        return new Resolution(new DatasetSchema(task, header, resolved, split, left), header, renamed);
    }

    private static List<String> checkHeader(List<String> raw, List<String> renamed) {
        boolean allBlank = true;
        boolean allNumeric = true;
        for (String name : raw) {
            allBlank &= name.isBlank();
            allNumeric &= NUMBER.matcher(name.strip()).matches();
        }
        if (allBlank || allNumeric) {
            throw DatasetProblem.MISSING_HEADER.at(1, null, "The first row (" + preview(raw)
                    + ") does not look like a header of column names; add a header row.");
        }
        List<String> header = new ArrayList<>(raw.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i).strip();
            if (name.isEmpty()) {
                name = "column_" + (i + 1);
                renamed.add(name);
            }
            Integer previous = seen.putIfAbsent(name, i);
            if (previous != null) {
                throw DatasetProblem.DUPLICATE_COLUMN.problem("The header names column '" + name + "' twice "
                        + "(columns " + (previous + 1) + " and " + (i + 1) + "); column names must be unique.",
                        Map.of("row", 1L, "column", name));
            }
            header.add(name);
        }
        return header;
    }

    private static String preview(List<String> header) {
        String joined = String.join(",", header);
        return joined.length() > 80 ? joined.substring(0, 80) + "..." : joined;
    }

    private static String require(List<String> header, String name, String role) {
        if (header.contains(name)) {
            return name;
        }
        for (String column : header) {
            if (column.equalsIgnoreCase(name.strip())) {
                return column;
            }
        }
        throw DatasetProblem.MISSING_COLUMN.problem("The column map names '" + name + "' as " + role
                + " but the file has no such column; its columns are " + header + ".",
                Map.of("column", name, "available_columns", header));
    }

    private static void claim(Set<String> taken, String name, String role) {
        if (!taken.add(name)) {
            throw DatasetProblem.INVALID_OPTIONS.problem("Column '" + name + "' cannot be " + role
                    + " and also play another part.", Map.of("column", name));
        }
    }

    private static String byName(List<String> header, List<String> names, Set<String> taken) {
        for (String wanted : names) {
            for (String column : header) {
                if (!taken.contains(column) && column.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return column;
                }
            }
        }
        return null;
    }

    private static String onlyOther(List<String> header, Set<String> taken) {
        String found = null;
        for (String column : header) {
            if (!taken.contains(column)) {
                if (found != null) {
                    return null;
                }
                found = column;
            }
        }
        return found;
    }

    private static String lastFree(List<String> header, Set<String> taken) {
        for (int i = header.size() - 1; i >= 0; i--) {
            if (!taken.contains(header.get(i))) {
                return header.get(i);
            }
        }
        return null;
    }

    private static ProblemException missing(List<String> header, String role, String what) {
        return DatasetProblem.MISSING_COLUMN.problem("Cannot find " + what + " among the columns " + header
                + "; name it in the column map (column_map." + role + ").",
                Map.of("column", role, "available_columns", header));
    }
}

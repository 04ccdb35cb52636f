package io.modelyard.dataset.ingest;

import io.modelyard.dataset.problem.DatasetProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gives each distinct label a small id, in order of first appearance; refuses more than the class limit. */
final class LabelIndex {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final int maxClasses;
    private final String column;

    LabelIndex(int maxClasses, String column) {
        this.maxClasses = maxClasses;
        this.column = column;
    }

    int id(String label, long row) {
        Integer id = ids.get(label);
        if (id != null) {
            return id;
        }
        if (names.size() == maxClasses) {
            throw DatasetProblem.TOO_MANY_CLASSES.limit(row, column, "max_classes", maxClasses, "Column '" + column
                    + "' has more than " + maxClasses + " distinct labels by row " + row
                    + "; is it really the label column?");
        }
        int next = names.size();
        ids.put(label, next);
        names.add(label);
        return next;
    }

    /** The id of a label already seen, or -1. */
    int existing(String label) {
        Integer id = ids.get(label);
        return id == null ? -1 : id;
    }

    String name(int id) {
        return names.get(id);
    }

    List<String> names() {
        return names;
    }
}

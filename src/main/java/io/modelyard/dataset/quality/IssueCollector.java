package io.modelyard.dataset.quality;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thread-safe. Gathers issues while a dataset streams by: lists the first {@code limit} errors and {@code limit}
 * warnings, at most a quarter of that per reason (so one noisy reason cannot hide the others), and counts
 * them all.
 */
public final class IssueCollector {

    private final int limit;
    private final int perReason;
    private final Map<String, Integer> listed = new java.util.HashMap<>();
    private final List<Issue> errors = new ArrayList<>();
    private final List<Issue> warnings = new ArrayList<>();
    private final Map<String, Long> totals = new TreeMap<>();
    private final Map<String, Long> errorTotals = new TreeMap<>();
    private volatile long errorCount;
    private long warningCount;
    private DatasetProblem firstErrorProblem;

    /** @param limit how many errors, and how many warnings, to list */
    public IssueCollector(int limit) {
        this.limit = limit;
        this.perReason = Math.max(1, limit / 4);
    }

    private boolean list(List<Issue> issues, String reason) {
        if (issues.size() >= limit || listed.getOrDefault(reason, 0) >= perReason) {
            return false;
        }
        listed.merge(reason, 1, Integer::sum);
        return true;
    }

    /** A row error: the dataset will be rejected with {@code problem} unless an earlier error chose another. */
    public synchronized void error(DatasetProblem problem, String reason, long row, String column, String message) {
        if (firstErrorProblem == null) {
            firstErrorProblem = problem;
        }
        errorCount++;
        totals.merge(reason, 1L, Long::sum);
        errorTotals.merge(reason, 1L, Long::sum);
        if (list(errors, reason)) {
            errors.add(new Issue(Severity.ERROR, reason, row, column, message));
        }
    }

    public synchronized void warning(String reason, Long row, String column, String message) {
        warningCount++;
        totals.merge(reason, 1L, Long::sum);
        if (list(warnings, reason)) {
            warnings.add(new Issue(Severity.WARNING, reason, row, column, message));
        }
    }

    /** Counts {@code n} warnings of one reason at once, listing one summary issue. */
    public synchronized void warnings(String reason, long n, String column, String message) {
        if (n <= 0) {
            return;
        }
        warningCount += n;
        totals.merge(reason, n, Long::sum);
        if (list(warnings, reason)) {
            warnings.add(new Issue(Severity.WARNING, reason, null, column, message));
        }
    }

    /** Lock-free: checked for every row. */
    public boolean hasErrors() {
        return errorCount > 0;
    }

    public synchronized ValidationReport report(long rowsRead, long rowsAccepted) {
        List<Issue> issues = new ArrayList<>(errors);
        issues.addAll(warnings);
        ValidationReport.Status status = errorCount > 0 ? ValidationReport.Status.INVALID
                : warningCount > 0 ? ValidationReport.Status.VALID_WITH_WARNINGS : ValidationReport.Status.VALID;
        boolean truncated = issues.size() < errorCount + warningCount;
        return new ValidationReport(status, rowsRead, rowsAccepted, errorCount, warningCount, totals, issues,
                truncated, limit);
    }

    /**
     * The problem that rejects the dataset: the type of the first error, {@code row}/{@code column} of the
     * first error, {@code errors} listing the errors found (capped) and {@code totals} by reason.
     */
    public synchronized ProblemException rejection(long rowsRead) {
        Issue first = errors.get(0);
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("row", first.row());
        if (first.column() != null) {
            extensions.put("column", first.column());
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Issue error : errors) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("row", error.row());
            if (error.column() != null) {
                item.put("column", error.column());
            }
            item.put("reason", error.reason());
            item.put("message", error.message());
            listed.add(item);
        }
        extensions.put("errors", listed);
        extensions.put("totals", new TreeMap<>(errorTotals));
        extensions.put("error_count", errorCount);
        String detail = errorCount + " of " + rowsRead + " rows cannot be used; the first is row " + first.row()
                + ": " + first.message();
        return firstErrorProblem.problem(detail, extensions);
    }
}

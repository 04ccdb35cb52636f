package io.modelyard.dataset.quality;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.image.ImageReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What validation found. {@code issues} lists the first {@code issue_limit} errors and the first
 * {@code issue_limit} warnings, at most a quarter of that per reason; {@code totals} counts every issue by
 * reason, listed or not, and {@code truncated} says whether some were not listed.
 *
 * @param rowsRead     data rows in the upload
 * @param rowsAccepted rows that went on to cleaning (after rows with unusable labels or inputs and exact
 *                     duplicates were dropped)
 * @param images       what an image dataset's archive held (classes, sizes, modes, undecodable files, duplicates
 *                     and leakage between splits); absent for other datasets
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationReport(Status status, long rowsRead, long rowsAccepted, long errorCount, long warningCount,
        Map<String, Long> totals, List<Issue> issues, boolean truncated, int issueLimit, ImageReport images) {

    public ValidationReport {
        totals = Map.copyOf(totals);
        issues = List.copyOf(issues);
    }

    public ValidationReport(Status status, long rowsRead, long rowsAccepted, long errorCount, long warningCount,
            Map<String, Long> totals, List<Issue> issues, boolean truncated, int issueLimit) {
        this(status, rowsRead, rowsAccepted, errorCount, warningCount, totals, issues, truncated, issueLimit, null);
    }

    /** This report with an image archive's findings. */
    public ValidationReport withImages(ImageReport report) {
        return new ValidationReport(status, rowsRead, rowsAccepted, errorCount, warningCount, totals, issues, truncated,
                issueLimit, report);
    }

    public enum Status {
        VALID, VALID_WITH_WARNINGS, INVALID;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public long total(String reason) {
        return totals.getOrDefault(reason, 0L);
    }
}

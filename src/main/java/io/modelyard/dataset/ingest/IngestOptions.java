package io.modelyard.dataset.ingest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.split.SplitOptions;

/**
 * Everything that shapes processing besides the columns. {@link #DEFAULTS} is what an upload gets when the
 * tenant says nothing.
 *
 * @param limits          parse limits (field length, row length, columns, rows)
 * @param cleaning        cleaning options
 * @param split           split options
 * @param maxIssues       errors, and warnings, listed in the validation report (all are counted)
 * @param maxClasses      distinct labels a classification dataset may have
 * @param maxVersionBytes size limit of the processed version blob (its storage quota share)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IngestOptions(ParseLimits limits, CleaningOptions cleaning, SplitOptions split, int maxIssues,
        int maxClasses, long maxVersionBytes) {

    public static final IngestOptions DEFAULTS = new IngestOptions(ParseLimits.DEFAULTS, CleaningOptions.DEFAULTS,
            SplitOptions.DEFAULTS, 100, 1000, Long.MAX_VALUE);

    public IngestOptions {
        limits = limits == null ? ParseLimits.DEFAULTS : limits;
        cleaning = cleaning == null ? CleaningOptions.DEFAULTS : cleaning;
        split = split == null ? SplitOptions.DEFAULTS : split;
        if (maxIssues < 1 || maxClasses < 2 || maxVersionBytes < 1) {
            throw new IllegalArgumentException("maxIssues >= 1, maxClasses >= 2 and maxVersionBytes >= 1");
        }
    }

    public IngestOptions withLimits(ParseLimits value) {
        return new IngestOptions(value, cleaning, split, maxIssues, maxClasses, maxVersionBytes);
    }

    public IngestOptions withCleaning(CleaningOptions value) {
        return new IngestOptions(limits, value, split, maxIssues, maxClasses, maxVersionBytes);
    }

    public IngestOptions withSplit(SplitOptions value) {
        return new IngestOptions(limits, cleaning, value, maxIssues, maxClasses, maxVersionBytes);
    }

    public IngestOptions withMaxIssues(int value) {
        return new IngestOptions(limits, cleaning, split, value, maxClasses, maxVersionBytes);
    }
}

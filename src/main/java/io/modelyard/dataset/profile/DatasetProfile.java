package io.modelyard.dataset.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.split.SplitCounts;
import java.util.List;

/**
 * The profile of a processed version.
 *
 * @param duplicateRows rows identical to an earlier row (0 when cleaning removed duplicates)
 * @param leakingRows   rows whose inputs also appear in an earlier row of another split: a model would be
 *                      evaluated on inputs it trained on
 * @param labels        classification only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetProfile(long rows, int columns, List<ColumnProfile> columnProfiles, LabelDistribution labels,
        long duplicateRows, long leakingRows, SplitCounts splits) {

    public DatasetProfile {
        columnProfiles = List.copyOf(columnProfiles);
    }

    public ColumnProfile column(String name) {
        return columnProfiles.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}

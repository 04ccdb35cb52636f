package io.modelyard.dataset.version;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** Rows {@code offset} to {@code offset + rows.size() - 1} of a version. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RowPage(List<String> columns, long offset, int limit, List<VersionRow> rows, boolean hasMore) {
}

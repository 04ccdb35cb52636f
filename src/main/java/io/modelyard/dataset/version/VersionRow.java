package io.modelyard.dataset.version;

import io.modelyard.dataset.split.Split;
import java.util.List;

/** One row of a processed version: its 0-based position, its values in schema order, and its split. */
public record VersionRow(long index, List<String> values, Split split) {
}

package io.modelyard.dataset.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts values per distinct value, tracking at most {@code limit} distinct values to bound memory. */
public final class CategoryCounter {

    public static final int DEFAULT_LIMIT = 10_000;

    private final int limit;
    private final Map<String, long[]> counts = new HashMap<>();
    private boolean capped;

    public CategoryCounter() {
        this(DEFAULT_LIMIT);
    }

    public CategoryCounter(int limit) {
        this.limit = limit;
    }

    public void add(String value) {
        long[] count = counts.get(value);
        if (count != null) {
            count[0]++;
        } else if (counts.size() < limit) {
            counts.put(value, new long[] {1});
        } else {
            capped = true;
        }
    }

    public boolean capped() {
        return capped;
    }

    public int distinct() {
        return counts.size();
    }

    /** The most frequent value (ties: the smallest in string order), or null when empty. */
    public String mode() {
        List<ValueCount> top = top(1);
        return top.isEmpty() ? null : top.get(0).value();
    }

    public List<ValueCount> top(int k) {
        List<ValueCount> all = new ArrayList<>(counts.size());
        counts.forEach((value, count) -> all.add(new ValueCount(value, count[0])));
        all.sort(Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    public CategoricalSummary summary(int k) {
        return new CategoricalSummary(counts.size(), capped, top(k));
    }
}

package io.modelyard.dataset.image;

import io.modelyard.image.PerceptualHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds every pair of images whose dHashes are at most {@link PerceptualHash#NEAR_DUPLICATE_DISTANCE} bits
 * apart without comparing all n² pairs. Images with the same hash are compared once, as a group. The 64 bits
 * are cut into six bands: two hashes 5 bits apart differ in at most 5 bands, so they agree on at least one
 * (pigeonhole), and only hashes sharing a band value are compared. Pairs are counted by arithmetic over each
 * group's checksums and splits, so even thousands of copies of one picture cost one comparison; the listing
 * stops at {@code listLimit}.
 */
final class NearDuplicateSearch {

    private static final int[] BAND_WIDTHS = {11, 11, 11, 11, 10, 10};

    /** Counted pairs (exact duplicates left out) and the first ones found. */
    record Result(long pairs, long pairsAcrossSplits, List<ImageReport.NearDuplicatePair> listed,
            List<ImageReport.NearDuplicatePair> listedAcrossSplits) {
    }

    private final List<LabelledImage> images;
    private final List<ImageSplit> splits;
    private final int listLimit;
    private long pairs;
    private long pairsAcrossSplits;
    private final List<ImageReport.NearDuplicatePair> listed = new ArrayList<>();
    private final List<ImageReport.NearDuplicatePair> listedAcrossSplits = new ArrayList<>();

    private NearDuplicateSearch(List<LabelledImage> images, List<ImageSplit> splits, int listLimit) {
        this.images = images;
        this.splits = splits;
        this.listLimit = listLimit;
    }

    /** {@code splits.get(i)} is the final split of {@code images.get(i)} (null: none). */
    static Result run(List<LabelledImage> images, List<ImageSplit> splits, int listLimit) {
        NearDuplicateSearch search = new NearDuplicateSearch(images, splits, listLimit);
        search.search();
        return new Result(search.pairs, search.pairsAcrossSplits, List.copyOf(search.listed),
                List.copyOf(search.listedAcrossSplits));
    }

    private void search() {
        Map<Long, List<Integer>> byHash = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            byHash.computeIfAbsent(images.get(i).dHash(), key -> new ArrayList<>()).add(i);
        }
        long[] hashes = byHash.keySet().stream().mapToLong(Long::longValue).toArray();
        List<List<Integer>> groups = new ArrayList<>(byHash.values());
        for (List<Integer> group : groups) {
            if (group.size() > 1) {
                pairsBetween(group, group, 0);
            }
        }
        for (int band = 0; band < BAND_WIDTHS.length; band++) {
            Map<Long, List<Integer>> buckets = new HashMap<>();
            for (int h = 0; h < hashes.length; h++) {
                buckets.computeIfAbsent(bandValue(hashes[h], band), key -> new ArrayList<>()).add(h);
            }
            for (List<Integer> bucket : buckets.values()) {
                for (int a = 0; a < bucket.size(); a++) {
                    for (int b = a + 1; b < bucket.size(); b++) {
                        long first = hashes[bucket.get(a)];
                        long second = hashes[bucket.get(b)];
                        int distance = PerceptualHash.distance(first, second);
                        // A pair sharing an earlier band was already counted there.
                        if (distance <= PerceptualHash.NEAR_DUPLICATE_DISTANCE && !shareBandBefore(first, second, band)) {
                            pairsBetween(groups.get(bucket.get(a)), groups.get(bucket.get(b)), distance);
                        }
                    }
                }
            }
        }
    }

    /** Counts (and lists, up to the limit) the non-identical pairs between two groups, or within one. */
    private void pairsBetween(List<Integer> first, List<Integer> second, int distance) {
        boolean within = first == second;
        long total = ordered(first, second, index -> "");
        long sameChecksum = ordered(first, second, index -> images.get(index).sha256());
        long sameSplit = ordered(first, second, index -> String.valueOf(splits.get(index)));
        long sameBoth = ordered(first, second, index -> images.get(index).sha256() + "/" + splits.get(index));
        if (within) {
            // Ordered pairs within one group count each pair twice and every image with itself once.
            int n = first.size();
            total = (total - n) / 2;
            sameChecksum = (sameChecksum - n) / 2;
            sameSplit = (sameSplit - n) / 2;
            sameBoth = (sameBoth - n) / 2;
        }
        pairs += total - sameChecksum;
        pairsAcrossSplits += total - sameChecksum - sameSplit + sameBoth;
        if (listed.size() < listLimit || listedAcrossSplits.size() < listLimit) {
            list(representatives(first), representatives(second), within, distance);
        }
    }

    /** Ordered pairs (a in first, b in second) whose keys are equal. */
    private static long ordered(List<Integer> first, List<Integer> second,
            java.util.function.IntFunction<String> key) {
        Map<String, Long> counts = new HashMap<>();
        first.forEach(index -> counts.merge(key.apply(index), 1L, Long::sum));
        long pairs = 0;
        for (int index : second) {
            pairs += counts.getOrDefault(key.apply(index), 0L);
        }
        return pairs;
    }

    /** One image per (checksum, split): enough to list distinct pairs without walking thousands of copies. */
    private List<Integer> representatives(List<Integer> group) {
        Map<String, Integer> first = new LinkedHashMap<>();
        group.forEach(index -> first.putIfAbsent(images.get(index).sha256() + "/" + splits.get(index), index));
        return new ArrayList<>(first.values());
    }

    private void list(List<Integer> first, List<Integer> second, boolean within, int distance) {
        for (int a = 0; a < first.size(); a++) {
            for (int b = within ? a + 1 : 0; b < second.size(); b++) {
                LabelledImage one = images.get(first.get(a));
                LabelledImage other = images.get(second.get(b));
                if (one.sha256().equals(other.sha256())) {
                    continue;
                }
                ImageReport.NearDuplicatePair pair = new ImageReport.NearDuplicatePair(one.path(), other.path(),
                        distance, splits.get(first.get(a)), splits.get(second.get(b)));
                if (listed.size() < listLimit && !listed.contains(pair)) {
                    listed.add(pair);
                }
                if (listedAcrossSplits.size() < listLimit && !Objects.equals(pair.firstSplit(), pair.secondSplit())) {
                    listedAcrossSplits.add(pair);
                }
                if (listed.size() >= listLimit && listedAcrossSplits.size() >= listLimit) {
                    return;
                }
            }
        }
    }

    private static long bandValue(long hash, int band) {
        int shift = 0;
        for (int i = 0; i < band; i++) {
            shift += BAND_WIDTHS[i];
        }
        return hash >>> shift & ((1L << BAND_WIDTHS[band]) - 1);
    }

    private static boolean shareBandBefore(long first, long second, int band) {
        for (int earlier = 0; earlier < band; earlier++) {
            if (bandValue(first, earlier) == bandValue(second, earlier)) {
                return true;
            }
        }
        return false;
    }
}

package io.modelyard.dataset.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.image.ImageMode;
import io.modelyard.image.PerceptualHash;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an image dataset looks like, for the person who uploaded it: classes per split, image sizes and
 * colour modes, files that would not decode, and duplicates, which matter most when they straddle splits
 * (a test image that is also a training image measures memory, not skill). Lists stop at {@code list_limit}
 * entries; the counts beside them are always complete.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ImageReport(int images, List<ClassCount> classes, SizeSummary sizes, List<ModeCount> modes,
        List<UndecodableImage> undecodable, ExactDuplicates exactDuplicates, NearDuplicates nearDuplicates,
        Leakage leakage, int listLimit) {

    public static final int DEFAULT_LIST_LIMIT = 100;
    private static final int[] SIZE_BUCKET_BOUNDS = {64, 128, 256, 512, 1024, 2048};

    /** Images of one class, in each final split ({@code unassigned}: the split function gave none). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ClassCount(String label, int images, int train, int validation, int test, int unassigned) {
    }

    /** Width and height ranges, and how many images have their longest side in each bucket. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SizeSummary(int minWidth, int medianWidth, int maxWidth, int minHeight, int medianHeight,
            int maxHeight, List<SizeBucket> longestSide) {
    }

    /** {@code range} such as {@code 256-511} (pixels, inclusive) or {@code 2048+}. */
    public record SizeBucket(String range, int images) {
    }

    public record ModeCount(ImageMode mode, int images) {
    }

    /** Files with byte-identical content, grouped by checksum. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ExactDuplicates(int groups, int images, List<DuplicateGroup> listed, boolean truncated) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DuplicateGroup(String sha256, List<String> paths, boolean acrossSplits) {
    }

    /**
     * Pairs of different files whose dHashes are at most {@code max_distance} bits of 64 apart: the same
     * picture re-encoded, resized or retouched.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NearDuplicates(int maxDistance, long pairs, List<NearDuplicatePair> listed, boolean truncated) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NearDuplicatePair(String first, String second, int distance, ImageSplit firstSplit,
            ImageSplit secondSplit) {
    }

    /** Duplicates whose copies sit in different final splits. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Leakage(int exactGroups, long nearPairs, List<NearDuplicatePair> nearListed) {
    }

    public ImageReport {
        classes = List.copyOf(classes);
        modes = List.copyOf(modes);
        undecodable = List.copyOf(undecodable);
    }

    public static ImageReport of(ImageArchive archive, Function<LabelledImage, ImageSplit> finalSplit) {
        return of(archive, finalSplit, DEFAULT_LIST_LIMIT);
    }

    /**
     * @param finalSplit each image's split once the caller has drawn splits for images without one; null means
     *                   the image is in none (counted as {@code unassigned})
     */
    public static ImageReport of(ImageArchive archive, Function<LabelledImage, ImageSplit> finalSplit,
            int listLimit) {
        List<LabelledImage> images = archive.images();
        List<ImageSplit> splits = new ArrayList<>(images.size());
        images.forEach(image -> splits.add(finalSplit.apply(image)));
        NearDuplicateSearch.Result near = NearDuplicateSearch.run(images, splits, listLimit);
        ExactDuplicates exact = exactDuplicates(images, splits, listLimit);
        int exactAcrossSplits = countGroupsAcrossSplits(images, splits);
        return new ImageReport(images.size(), classes(images, splits), sizes(images), modes(images),
                archive.undecodable(), exact,
                new NearDuplicates(PerceptualHash.NEAR_DUPLICATE_DISTANCE, near.pairs(), near.listed(),
                        near.pairs() > near.listed().size()),
                new Leakage(exactAcrossSplits, near.pairsAcrossSplits(), near.listedAcrossSplits()), listLimit);
    }

    private static List<ClassCount> classes(List<LabelledImage> images, List<ImageSplit> splits) {
        Map<String, int[]> counts = new TreeMap<>();
        for (int i = 0; i < images.size(); i++) {
            int[] perSplit = counts.computeIfAbsent(images.get(i).label(), label -> new int[4]);
            ImageSplit split = splits.get(i);
            perSplit[split == null ? 3 : split.ordinal()]++;
        }
        List<ClassCount> classes = new ArrayList<>();
        counts.forEach((label, c) -> classes.add(new ClassCount(label, c[0] + c[1] + c[2] + c[3], c[0], c[1], c[2],
                c[3])));
        return classes;
    }

    private static SizeSummary sizes(List<LabelledImage> images) {
        int[] widths = images.stream().mapToInt(LabelledImage::width).sorted().toArray();
        int[] heights = images.stream().mapToInt(LabelledImage::height).sorted().toArray();
        int[] buckets = new int[SIZE_BUCKET_BOUNDS.length + 1];
        for (LabelledImage image : images) {
            int longest = Math.max(image.width(), image.height());
            int bucket = 0;
            while (bucket < SIZE_BUCKET_BOUNDS.length && longest >= SIZE_BUCKET_BOUNDS[bucket]) {
                bucket++;
            }
            buckets[bucket]++;
        }
        List<SizeBucket> ranges = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            String range = i == 0 ? "1-" + (SIZE_BUCKET_BOUNDS[0] - 1)
                    : i == SIZE_BUCKET_BOUNDS.length ? SIZE_BUCKET_BOUNDS[i - 1] + "+"
                    : SIZE_BUCKET_BOUNDS[i - 1] + "-" + (SIZE_BUCKET_BOUNDS[i] - 1);
            ranges.add(new SizeBucket(range, buckets[i]));
        }
        return new SizeSummary(min(widths), median(widths), max(widths), min(heights), median(heights), max(heights),
                ranges);
    }

    private static int min(int[] sorted) {
        return sorted.length == 0 ? 0 : sorted[0];
    }

    private static int max(int[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    /** The lower median: a size some image really has. */
    private static int median(int[] sorted) {
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    private static List<ModeCount> modes(List<LabelledImage> images) {
        Map<ImageMode, Integer> counts = new EnumMap<>(ImageMode.class);
        images.forEach(image -> counts.merge(image.mode(), 1, Integer::sum));
        List<ModeCount> modes = new ArrayList<>();
        counts.forEach((mode, count) -> modes.add(new ModeCount(mode, count)));
        return modes;
    }

    private static Map<String, List<Integer>> bySha(List<LabelledImage> images) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            groups.computeIfAbsent(images.get(i).sha256(), sha -> new ArrayList<>()).add(i);
        }
        groups.values().removeIf(group -> group.size() < 2);
        return groups;
    }

    private static ExactDuplicates exactDuplicates(List<LabelledImage> images, List<ImageSplit> splits,
            int listLimit) {
        Map<String, List<Integer>> groups = bySha(images);
        List<DuplicateGroup> listed = new ArrayList<>();
        int duplicated = 0;
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            duplicated += group.getValue().size();
            if (listed.size() < listLimit) {
                listed.add(new DuplicateGroup(group.getKey(),
                        group.getValue().stream().map(index -> images.get(index).path()).toList(),
                        spansSplits(group.getValue(), splits)));
            }
        }
        return new ExactDuplicates(groups.size(), duplicated, listed, groups.size() > listed.size());
    }

    private static int countGroupsAcrossSplits(List<LabelledImage> images, List<ImageSplit> splits) {
        return (int) bySha(images).values().stream().filter(group -> spansSplits(group, splits)).count();
    }

    private static boolean spansSplits(List<Integer> group, List<ImageSplit> splits) {
        ImageSplit first = splits.get(group.get(0));
        return group.stream().anyMatch(index -> !Objects.equals(splits.get(index), first));
    }
}

package io.modelyard.dataset.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.image.ImageFormat;
import io.modelyard.image.ImageMode;
import io.modelyard.image.PerceptualHash;
import io.modelyard.image.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ImageReportTest {

    @Test
    void reportsClassesSizesModesDuplicatesAndLeakage() throws IOException {
        byte[] a = TestImages.png(TestImages.shapes(120, 90, 1));
        BufferedImage dog = TestImages.shapes(160, 120, 2);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("train/cat/a.png", a);
        entries.put("test/cat/a-copy.png", a);                                              // exact, leaks
        entries.put("train/cat/a.jpg", TestImages.jpeg(TestImages.shapes(120, 90, 1)));     // near a (same split)
        entries.put("train/dog/b.png", TestImages.png(dog));
        entries.put("validation/dog/b-bright.png", TestImages.png(TestImages.brightened(dog, 12))); // near, leaks
        entries.put("train/dog/grey.png",
                TestImages.png(TestImages.converted(TestImages.shapes(40, 300, 3), BufferedImage.TYPE_BYTE_GRAY)));
        entries.put("cat/loose.png", TestImages.png(TestImages.converted(TestImages.shapes(2100, 30, 4),
                BufferedImage.TYPE_INT_ARGB)));
        entries.put("train/dog/broken.png", TestImages.truncated(TestImages.png(TestImages.shapes(200, 200, 5)), 0.5));
        ImageArchive archive = new ImageArchiveReader(ArchiveLimits.defaults())
                .read(new ByteArrayInputStream(TestZips.zip(entries)), image -> { });

        ImageReport report = ImageReport.of(archive, image -> image.split()); // the loose image stays unassigned

        assertEquals(7, report.images());
        assertEquals(List.of(new ImageReport.ClassCount("cat", 4, 2, 0, 1, 1),
                new ImageReport.ClassCount("dog", 3, 2, 1, 0, 0)), report.classes());
        assertEquals(40, report.sizes().minWidth());
        assertEquals(2100, report.sizes().maxWidth());
        assertEquals(30, report.sizes().minHeight());
        assertEquals(1, report.sizes().longestSide().stream().filter(b -> b.range().equals("2048+"))
                .findFirst().orElseThrow().images());
        Map<ImageMode, Integer> modes = report.modes().stream()
                .collect(Collectors.toMap(ImageReport.ModeCount::mode, ImageReport.ModeCount::images));
        assertEquals(Map.of(ImageMode.RGB, 5, ImageMode.GRAYSCALE, 1, ImageMode.RGBA, 1), modes);
        assertEquals(List.of("train/dog/broken.png"),
                report.undecodable().stream().map(UndecodableImage::path).toList());

        assertEquals(1, report.exactDuplicates().groups());
        assertEquals(List.of("train/cat/a.png", "test/cat/a-copy.png"),
                report.exactDuplicates().listed().get(0).paths());
        assertTrue(report.exactDuplicates().listed().get(0).acrossSplits());

        Set<Set<String>> nearPairs = report.nearDuplicates().listed().stream()
                .map(pair -> Set.of(pair.first(), pair.second())).collect(Collectors.toSet());
        assertEquals(Set.of(Set.of("train/cat/a.png", "train/cat/a.jpg"), Set.of("test/cat/a-copy.png",
                "train/cat/a.jpg"), Set.of("train/dog/b.png", "validation/dog/b-bright.png")), nearPairs);
        assertEquals(3, report.nearDuplicates().pairs());
        assertFalse(report.nearDuplicates().truncated());

        assertEquals(1, report.leakage().exactGroups());
        assertEquals(2, report.leakage().nearPairs());
    }

    @Test
    void serialisesAsSnakeCaseJson() throws IOException {
        LabelledImage image = image(0, "x", 7L, ImageSplit.TRAIN);
        ImageArchive archive = new ImageArchive(List.of(image, image(1, "y", 7L ^ 1, ImageSplit.TEST)),
                List.of(new UndecodableImage("cat/bad.png", "truncated")), 2, 0, 10, false);
        JsonNode json = new ObjectMapper().valueToTree(ImageReport.of(archive, LabelledImage::split));
        assertTrue(json.has("exact_duplicates"), json.toString());
        assertEquals(1, json.at("/near_duplicates/pairs").asInt(), json.toString());
        assertEquals(5, json.at("/near_duplicates/max_distance").asInt());
        assertEquals("train", json.at("/near_duplicates/listed/0/first_split").asText());
        assertEquals(1, json.at("/leakage/near_pairs").asInt());
        assertEquals("rgb", json.at("/modes/0/mode").asText());
        assertEquals("cat/bad.png", json.at("/undecodable/0/path").asText());
        assertEquals(1, json.at("/sizes/min_width").asInt());
        assertEquals(100, json.at("/list_limit").asInt());
    }

    @Test
    void bandingFindsExactlyThePairsABruteForceFinds() {
        Random random = new Random(7);
        List<LabelledImage> images = new ArrayList<>();
        List<ImageSplit> splits = new ArrayList<>();
        for (int cluster = 0; cluster < 300; cluster++) {
            long base = random.nextLong();
            for (int copy = 0; copy < 8; copy++) {
                long hash = base;
                for (int flip = random.nextInt(5); flip > 0; flip--) {
                    hash ^= 1L << random.nextInt(64);
                }
                // Some copies are byte-identical (same checksum): they are exact, not near, duplicates.
                String sha = copy < 2 ? "sha" + cluster : "sha" + cluster + "-" + copy;
                images.add(image(images.size(), sha, hash, null));
                splits.add(ImageSplit.values()[random.nextInt(3)]);
            }
        }
        long pairs = 0;
        long across = 0;
        for (int i = 0; i < images.size(); i++) {
            for (int j = i + 1; j < images.size(); j++) {
                if (PerceptualHash.nearDuplicates(images.get(i).dHash(), images.get(j).dHash())
                        && !images.get(i).sha256().equals(images.get(j).sha256())) {
                    pairs++;
                    across += Objects.equals(splits.get(i), splits.get(j)) ? 0 : 1;
                }
            }
        }
        NearDuplicateSearch.Result result = NearDuplicateSearch.run(images, splits, 100);
        assertTrue(pairs > 1000, "the test needs many pairs: " + pairs);
        assertEquals(pairs, result.pairs());
        assertEquals(across, result.pairsAcrossSplits());
        assertEquals(100, result.listed().size());
    }

    @Test
    void thousandsOfCopiesOfOnePictureCostNoQuadraticWork() {
        List<LabelledImage> images = new ArrayList<>();
        List<ImageSplit> splits = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            images.add(image(i, i < 10_000 ? "same" : "sha" + i, 42L, ImageSplit.values()[i % 3]));
            splits.add(ImageSplit.values()[i % 3]);
        }
        long start = System.nanoTime();
        NearDuplicateSearch.Result result = NearDuplicateSearch.run(images, splits, 100);
        long allPairs = 50_000L * 49_999 / 2;
        long exactPairs = 10_000L * 9_999 / 2;
        assertEquals(allPairs - exactPairs, result.pairs());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
    }

    private static LabelledImage image(int index, String sha, long hash, ImageSplit split) {
        return new LabelledImage("img/" + index + ".png", sha, "x", split, 1 + index, 1, ImageMode.RGB,
                ImageFormat.PNG, hash);
    }
}

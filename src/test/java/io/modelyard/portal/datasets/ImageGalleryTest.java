package io.modelyard.portal.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.image.ImageReport;
import io.modelyard.dataset.quality.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gallery's rows per class and its pages, over a fake version of images (no platform needed). */
class ImageGalleryTest {

    /** {@code n} images, labels cycling through {@code labels}, served in pages as the service does. */
    private static ImageGallery.Images version(int n, String... labels) {
        List<DatasetImages.ImageView> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("%064x", i);
            String label = labels[i % labels.length];
            all.add(new DatasetImages.ImageView("dataset_image", id, i, label, "train",
                    List.of("photos/" + label + "/" + i + ".png"), "png", "rgb", 32, 24, 100,
                    "/v1/dataset-versions/dsv_1/images/" + id, "/v1/dataset-versions/dsv_1/images/" + id + "/thumbnail"));
        }
        return (offset, limit) -> {
            int from = (int) Math.min(offset, all.size());
            int to = Math.min(all.size(), from + limit);
            boolean more = to < all.size();
            return new DatasetImages.ImagesPage("list", all.subList(from, to), offset, limit, more,
                    more ? (long) to : null);
        };
    }

    private static ImageReport report(Map<String, Integer> classes) {
        List<ImageReport.ClassCount> counts = new ArrayList<>();
        new java.util.TreeMap<>(classes).forEach((label, n) -> counts.add(new ImageReport.ClassCount(label, n, n, 0, 0, 0)));
        return new ImageReport(classes.values().stream().mapToInt(Integer::intValue).sum(), counts, null, List.of(),
                List.of(), null, null, null, 100);
    }

    @Test
    void eachClassGetsARowOfUpToTwelveThumbnailsNamedByTheirFiles() throws Exception {
        ImageGallery gallery = ImageGallery.of(report(Map.of("circle", 30, "square", 25, "star", 5)),
                version(60, "circle", "square", "circle", "square", "circle", "square", "circle", "square", "circle",
                        "square", "circle", "star"), "/portal/t/ten_1/dataset-versions/dsv_1/images");
        assertEquals(3, gallery.classes().size());
        for (ImageGallery.ClassRow row : gallery.classes()) {
            assertEquals(row.label().equals("star") ? 5 : 12, row.thumbs().size(), row.label());
            row.thumbs().forEach(t -> assertEquals(row.label(), t.label()));
        }
        ImageGallery.Thumb first = gallery.classes().get(0).thumbs().get(0);
        assertEquals("0.png", first.name());
        assertTrue(first.title().startsWith("photos/circle/0.png"), first.title());
        assertEquals("/portal/t/ten_1/dataset-versions/dsv_1/images/" + first.id() + "/thumbnail",
                first.thumbnailUrl());
        assertFalse(gallery.partial());
    }

    @Test
    void aClassBeyondTheReadingBoundShowsAnEmptyRowAndTheGalleryIsPartial() throws Exception {
        int n = ImageGallery.SCAN_LIMIT + 10;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            labels.add("common");
        }
        labels.add("rare");
        ImageGallery gallery = ImageGallery.of(report(Map.of("common", n - 1, "rare", 1)),
                version(n, labels.toArray(String[]::new)), "/x");
        assertEquals(List.of("common", "rare"), gallery.classes().stream().map(ImageGallery.ClassRow::label).toList());
        assertEquals(0, gallery.classes().get(1).thumbs().size());
        assertTrue(gallery.partial());
    }

    @Test
    void withoutAReportTheClassesAreThoseFound() throws Exception {
        ImageGallery gallery = ImageGallery.of(null, version(10, "a", "b"), "/x");
        assertEquals(List.of("a", "b"), gallery.classes().stream().map(ImageGallery.ClassRow::label).toList());
        assertNull(gallery.classes().get(0).images());
    }

    @Test
    void pagesOfAClassFollowOneAnotherWithoutGapsOrRepeats() throws Exception {
        ImageGallery.Images images = version(1000, "a", "b", "c", "a b&c");
        List<String> seen = new ArrayList<>();
        Long offset = 0L;
        int pages = 0;
        while (offset != null) {
            ImageGallery.ClassPage page = ImageGallery.page("a b&c", offset, images, "/x");
            page.thumbs().forEach(t -> seen.add(t.id()));
            assertTrue(page.thumbs().size() <= ImageGallery.PAGE);
            offset = page.nextOffset();
            pages++;
        }
        assertEquals(250, seen.size());
        assertEquals(250, seen.stream().distinct().count());
        assertEquals(6, pages);
        assertEquals("a+b%26c", ImageGallery.page("a b&c", 0, images, "/x").labelParam());

        ImageGallery.ClassPage all = ImageGallery.page(null, 990, images, "/x");
        assertEquals(10, all.thumbs().size());
        assertNull(all.nextOffset());
        assertEquals("", all.labelParam());
    }

    @Test
    void theImageReportIsReadBackFromTheVersionsValidationJson() throws Exception {
        String json = """
                {"status":"valid_with_warnings","rows_read":3,"rows_accepted":3,"error_count":0,"warning_count":1,
                 "totals":{},"issues":[],"truncated":false,"issue_limit":100,
                 "images":{"images":3,"classes":[{"label":"cat","images":3,"train":2,"validation":1,"test":0,
                   "unassigned":0}],"sizes":null,"modes":[{"mode":"rgb","images":3}],
                   "undecodable":[{"path":"cat/broken.jpg","reason":"truncated"}],
                   "exact_duplicates":{"groups":1,"images":2,"listed":[{"sha256":"ab","paths":["cat/1.png","cat/2.png"],
                     "across_splits":true}],"truncated":false},
                   "near_duplicates":{"max_distance":5,"pairs":1,"listed":[{"first":"cat/1.png","second":"cat/3.png",
                     "distance":3,"first_split":"train","second_split":"validation"}],"truncated":false},
                   "leakage":{"exact_groups":1,"near_pairs":1,"near_listed":[]},"list_limit":100}}
                """;
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        ImageReport images = mapper.readValue(json, ValidationReport.class).images();
        assertEquals("cat/broken.jpg", images.undecodable().get(0).path());
        assertTrue(images.exactDuplicates().listed().get(0).acrossSplits());
        assertEquals(1, images.leakage().nearPairs());
        assertEquals("validation", images.nearDuplicates().listed().get(0).secondSplit().id());
    }
}

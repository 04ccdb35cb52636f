package io.modelyard.portal.datasets;

import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.image.ImageReport;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image version's gallery as its page shows it: a row of up to {@value #PER_CLASS} thumbnails of each class,
 * found by reading the version's images in order. The version's rows are not grouped by class, so a bounded
 * number of them ({@value #SCAN_LIMIT}) is read per page; a class none of whose images lies within that shows
 * an empty row with its link to more.
 *
 * @param partial whether the reading stopped at its bound before every class had its row filled
 */
public record ImageGallery(List<ClassRow> classes, boolean partial) {

    static final int PER_CLASS = 12;
    /** Images of a class on one "more" page. */
    static final int PAGE = 48;
    /** Rows read for one gallery or one page of a class, at most. */
    static final int SCAN_LIMIT = 5000;
    private static final int CHUNK = 500;

    /** One image: its id, its file name (the first of the archive's files with its bytes), split and URLs. */
    public record Thumb(String id, String name, String title, String label, String split, String thumbnailUrl) {

        /** The image itself, as uploaded. */
        public String imageUrl() {
            return thumbnailUrl.substring(0, thumbnailUrl.length() - "/thumbnail".length());
        }
    }

    /** A class: its label, how many images the upload had of it (when known), and the first of them. */
    public record ClassRow(String label, Integer images, List<Thumb> thumbs) {

        /** The label as a query parameter's value. */
        public String labelParam() {
            return query(label);
        }
    }

    /**
     * A page of one class's images (or of all images, with a null label). Offsets are positions in the version's
     * rows, so a page may hold fewer than {@value #PAGE} images and still have a next one.
     */
    public record ClassPage(String label, long offset, List<Thumb> thumbs, Long nextOffset) {

        /** The label as a query parameter's value (empty for all images). */
        public String labelParam() {
            return query(label);
        }
    }

    /** Reads a version's images, as {@link DatasetImages#page}. */
    @FunctionalInterface
    interface Images {
        DatasetImages.ImagesPage page(long offset, int limit) throws IOException;
    }

    /**
     * The gallery of a version whose thumbnails are served under {@code thumbnailBase}
     * ({@code .../images/<id>/thumbnail}).
     *
     * @param report the version's image report, for the classes and their counts; may be null
     */
    static ImageGallery of(ImageReport report, Images images, String thumbnailBase) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<Thumb>> rows = new LinkedHashMap<>();
        if (report != null && report.classes() != null) {
            for (ImageReport.ClassCount c : report.classes()) {
                counts.put(c.label(), c.images());
                rows.put(c.label(), new ArrayList<>());
            }
        }
        long offset = 0;
        boolean more = true;
        while (more && offset < SCAN_LIMIT && !(report != null && full(rows, counts))) {
            DatasetImages.ImagesPage page = images.page(offset, CHUNK);
            for (DatasetImages.ImageView image : page.data()) {
                List<Thumb> row = rows.computeIfAbsent(image.label(), label -> new ArrayList<>());
                if (row.size() < PER_CLASS) {
                    row.add(thumb(image, thumbnailBase));
                }
            }
            offset += page.data().size();
            more = page.hasMore() && !page.data().isEmpty();
        }
        List<ClassRow> classes = new ArrayList<>();
        rows.forEach((label, thumbs) -> classes.add(new ClassRow(label, counts.get(label), List.copyOf(thumbs))));
        return new ImageGallery(List.copyOf(classes), more && !full(rows, counts));
    }

    /** Up to {@value #PAGE} images of {@code label} (any, when null) from row {@code offset} on. */
    static ClassPage page(String label, long offset, Images images, String thumbnailBase) throws IOException {
        List<Thumb> thumbs = new ArrayList<>();
        long at = offset;
        boolean end = false;
        while (!end && thumbs.size() < PAGE && at - offset < SCAN_LIMIT) {
            DatasetImages.ImagesPage page = images.page(at, CHUNK);
            List<DatasetImages.ImageView> data = page.data();
            int used = 0;
            for (DatasetImages.ImageView image : data) {
                if (thumbs.size() == PAGE) {
                    break;
                }
                used++;
                if (label == null || label.equals(image.label())) {
                    thumbs.add(thumb(image, thumbnailBase));
                }
            }
            at += used;
            end = used == data.size() && (!page.hasMore() || data.isEmpty());
        }
        return new ClassPage(label, offset, List.copyOf(thumbs), end ? null : at);
    }

    private static String query(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean full(Map<String, List<Thumb>> rows, Map<String, Integer> counts) {
        for (Map.Entry<String, List<Thumb>> row : rows.entrySet()) {
            Integer count = counts.get(row.getKey());
            int wanted = count == null ? PER_CLASS : Math.min(PER_CLASS, count);
            if (row.getValue().size() < wanted) {
                return false;
            }
        }
        return true;
    }

    private static Thumb thumb(DatasetImages.ImageView image, String thumbnailBase) {
        List<String> files = image.files() == null ? List.of() : image.files();
        String path = files.isEmpty() ? image.id() : files.get(0);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String title = (files.isEmpty() ? path : String.join(", ", files)) + " · " + image.label()
                + (image.split() == null ? "" : " · " + image.split())
                + (image.width() > 0 ? " · " + image.width() + "×" + image.height() : "");
        return new Thumb(image.id(), name, title, image.label(), image.split(),
                thumbnailBase + "/" + image.id() + "/thumbnail");
    }
}

package io.modelyard.testing;

import io.modelyard.ml.vision.SyntheticShapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips of generated images, laid out as people upload them: class folders, or a labels.csv manifest. */
public final class ImageZips {

    private ImageZips() {
    }

    /**
     * For bench/images.sh: {@code ImageZips zip <file> <count> <size> <classes> <seed>} writes {@link #shapes};
     * {@code ImageZips base64 <file> <count> <size>} writes that many PNG shapes in base64, a line each.
     */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path file = java.nio.file.Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        if (args[0].equals("zip")) {
            java.nio.file.Files.write(file, shapes(count, size, Integer.parseInt(args[4]), Long.parseLong(args[5])));
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (SyntheticShapes.LabelledImage image : SyntheticShapes.generate(count, size, 5, 1234)) {
            lines.append(java.util.Base64.getEncoder().encodeToString(SyntheticShapes.png(image.image()))).append('\n');
        }
        java.nio.file.Files.writeString(file, lines);
    }

    /** {@code count} shapes of {@code classes} kinds, {@code size}×{@code size} PNGs in {@code <label>/<n>.png}. */
    public static byte[] shapes(int count, int size, int classes, long seed) {
        List<SyntheticShapes.LabelledImage> images = SyntheticShapes.generate(count, size, classes, seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < images.size(); i++) {
                SyntheticShapes.LabelledImage image = images.get(i);
                entry(zip, "shapes/" + image.className() + "/" + i + ".png", SyntheticShapes.png(image.image()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip of the given entries (name to bytes), in order. */
    public static byte[] of(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                entry(zip, e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One generated shape as a PNG. */
    public static byte[] png(int size, long seed) {
        return SyntheticShapes.png(SyntheticShapes.generate(1, size, 2, seed).get(0).image());
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}

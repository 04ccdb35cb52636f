package io.modelyard.ml.vision;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A labelled image dataset drawn on the fly, for tests and benchmarks: one filled shape per image (circle,
 * square, triangle, cross or ring) at a random position and size, in a random colour on a random background
 * colour, plus Gaussian pixel noise. Classes are balanced (image {@code i} has class {@code i % classes}); the
 * same seed draws the same images.
 */
public final class SyntheticShapes {

    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "cross", "ring");
    private static final double NOISE = 10;
    /** Shape and background colours differ at least this much (summed over R, G, B), so every shape is visible. */
    private static final int MIN_CONTRAST = 150;

    private SyntheticShapes() {
    }

    /** One image and its class index in {@link #CLASSES}. */
    public record LabelledImage(BufferedImage image, int label) {

        public String className() {
            return CLASSES.get(label);
        }
    }

    /** {@code count} images of {@code size}×{@code size} of the first {@code classes} classes (2 to 5). */
    public static List<LabelledImage> generate(int count, int size, int classes, long seed) {
        if (classes < 2 || classes > CLASSES.size()) {
            throw new IllegalArgumentException("2 to " + CLASSES.size() + " classes, not " + classes);
        }
        Random random = new Random(seed);
        List<LabelledImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int label = i % classes;
            images.add(new LabelledImage(draw(label, size, random), label));
        }
        return images;
    }

    /** The images in {@link ImageTensors#toChw} form at their own size. */
    public static byte[][] chw(List<LabelledImage> images) {
        byte[][] chw = new byte[images.size()][];
        for (int i = 0; i < chw.length; i++) {
            BufferedImage image = images.get(i).image();
            chw[i] = ImageTensors.toChw(image, image.getWidth());
        }
        return chw;
    }

    public static int[] labels(List<LabelledImage> images) {
        return images.stream().mapToInt(LabelledImage::label).toArray();
    }

    /** The image as a PNG file's bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage draw(int label, int size, Random random) {
        Color background = randomColour(random);
        Color foreground;
        do {
            foreground = randomColour(random);
        } while (distance(background, foreground) < MIN_CONTRAST);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(background);
            g.fillRect(0, 0, size, size);
            g.setColor(foreground);
            // the shape's box: 40 to 80 % of the image, anywhere inside it
            double side = size * (0.4 + 0.4 * random.nextDouble());
            double x = random.nextDouble() * (size - side);
            double y = random.nextDouble() * (size - side);
            switch (CLASSES.get(label)) {
                case "circle" -> g.fill(new Ellipse2D.Double(x, y, side, side));
                case "square" -> g.fill(new Rectangle2D.Double(x + side * 0.1, y + side * 0.1, side * 0.8, side * 0.8));
                case "triangle" -> {
                    Path2D.Double triangle = new Path2D.Double();
                    triangle.moveTo(x + side / 2, y);
                    triangle.lineTo(x + side, y + side);
                    triangle.lineTo(x, y + side);
                    triangle.closePath();
                    g.fill(triangle);
                }
                case "cross" -> {
                    double bar = side / 3;
                    g.fill(new Rectangle2D.Double(x, y + bar, side, bar));
                    g.fill(new Rectangle2D.Double(x + bar, y, bar, side));
                }
                case "ring" -> {
                    g.setStroke(new BasicStroke((float) Math.max(1.5, side / 6)));
                    double inset = side / 12;
                    g.draw(new Ellipse2D.Double(x + inset, y + inset, side - 2 * inset, side - 2 * inset));
                }
                default -> throw new IllegalStateException("no drawing for " + CLASSES.get(label));
            }
        } finally {
            g.dispose();
        }
        addNoise(image, random);
        return image;
    }

    private static void addNoise(BufferedImage image, Random random) {
        int size = image.getWidth();
        int[] rgb = image.getRGB(0, 0, size, size, null, 0, size);
        for (int i = 0; i < rgb.length; i++) {
            int r = noisy((rgb[i] >> 16) & 0xFF, random);
            int g = noisy((rgb[i] >> 8) & 0xFF, random);
            int b = noisy(rgb[i] & 0xFF, random);
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        image.setRGB(0, 0, size, size, rgb, 0, size);
    }

    private static int noisy(int value, Random random) {
        return Math.max(0, Math.min(255, (int) Math.round(value + NOISE * random.nextGaussian())));
    }

    private static Color randomColour(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }
}

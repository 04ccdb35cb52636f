package io.modelyard.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Small JPEG previews for the dataset pages: a few kilobytes each, whatever the source was. */
public final class Thumbnails {

    public static final int DEFAULT_LONGEST_SIDE = 96;
    private static final float JPEG_QUALITY = 0.85f;

    private final int longestSide;

    public Thumbnails() {
        this(DEFAULT_LONGEST_SIDE);
    }

    public Thumbnails(int longestSide) {
        if (longestSide < 1) {
            throw new IllegalArgumentException("longestSide must be positive");
        }
        this.longestSide = longestSide;
    }

    /** A JPEG whose longest side is at most the configured size; smaller images are not enlarged. */
    public byte[] jpeg(BufferedImage image) {
        BufferedImage small = scaleDown(image);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(small, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a thumbnail to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private BufferedImage scaleDown(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = Math.min(1.0, (double) longestSide / Math.max(width, height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        BufferedImage current = image;
        // Halving first: one bilinear step from a large image samples a few source pixels and aliases.
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = resize(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        if (current.getWidth() != targetWidth || current.getHeight() != targetHeight
                || current.getType() != BufferedImage.TYPE_INT_RGB) {
            current = resize(current, targetWidth, targetHeight);
        }
        return current;
    }

    private static BufferedImage resize(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }
}

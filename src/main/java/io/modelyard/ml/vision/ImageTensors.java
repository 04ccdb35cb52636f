package io.modelyard.ml.vision;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns a decoded image into the compact form training and serving keep on the heap: {@code 3·S·S} bytes, RGB,
 * channels first (CHW), row-major. Every image goes through the same steps, so a model sees at serving time
 * exactly what it saw in training:
 * <ol>
 * <li>flatten onto white: transparency is composited over a white background, and grey or palette images become
 * three equal (or palette) channels;</li>
 * <li>centre crop: the largest centred square is kept, i.e. the image is resized so that its shorter side is
 * {@code S} and the longer side is cropped evenly on both ends (a wide image loses its left and right edges);</li>
 * <li>resize that square to {@code S×S}: when shrinking, by halving with bilinear filtering until within a
 * factor 2 of {@code S}, then one bilinear step; every source pixel contributes (one bilinear step from a large
 * image would sample a few pixels and alias); when enlarging, one bicubic step.</li>
 * </ol>
 * Orientation (EXIF) is the decoder's job and happens before.
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** The image as {@code 3·size·size} bytes, RGB channels first. */
    public static byte[] toChw(BufferedImage image, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        BufferedImage square = resize(centreSquareOnWhite(image), size);
        int[] argb = square.getRGB(0, 0, size, size, null, 0, size);
        int plane = size * size;
        byte[] chw = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            int pixel = argb[i];
            chw[i] = (byte) (pixel >> 16);
            chw[plane + i] = (byte) (pixel >> 8);
            chw[2 * plane + i] = (byte) pixel;
        }
        return chw;
    }

    /** The centred square of the image, as opaque RGB with transparency composited over white. */
    static BufferedImage centreSquareOnWhite(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int side = Math.min(width, height);
        int left = (width - side) / 2;
        int top = (height - side) / 2;
        BufferedImage square = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        boolean sixteenBits = image.getType() == BufferedImage.TYPE_USHORT_GRAY;
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY || sixteenBits) {
            // Java2D treats these types as linear grey and would brighten them on the way to sRGB; the samples of a
            // decoded grey image are already display values, so they are copied as they are
            int[] grey = image.getRaster().getPixels(left, top, side, side, (int[]) null);
            int[] rgb = new int[grey.length];
            for (int i = 0; i < grey.length; i++) {
                rgb[i] = (sixteenBits ? grey[i] >> 8 : grey[i]) * 0x010101;
            }
            square.setRGB(0, 0, side, side, rgb, 0, side);
            return square;
        }
        Graphics2D g = square.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, side, side);
            g.drawImage(image, -left, -top, null);
        } finally {
            g.dispose();
        }
        return square;
    }

    private static BufferedImage resize(BufferedImage square, int size) {
        BufferedImage current = square;
        int side = square.getWidth();
        while (side / 2 >= size) {
            side /= 2;
            current = draw(current, side, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (side == size) {
            return current;
        }
        Object interpolation = side > size ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                : RenderingHints.VALUE_INTERPOLATION_BICUBIC;
        return draw(current, size, interpolation);
    }

    private static BufferedImage draw(BufferedImage source, int side, Object interpolation) {
        BufferedImage target = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, side, side, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a folder of small labelled pictures for the image part of the tutorial: one folder per class (circle,
 * square, triangle), each holding PNGs of that shape in a random colour, size and place on a noisy background of
 * another colour. The layout is the one people already have for their photos — {@code <dir>/<label>/<file>} — so
 * {@code modelyard datasets upload <dir>} takes it as it is. Drawn here with a fixed seed: ours to give away (see
 * examples/LICENSE.md).
 *
 * Run from the repository root (JDK 17, no build needed):
 * java examples/GenerateShapes.java [dir] [images per class] [seed]
 */
public final class GenerateShapes {

    private static final List<String> CLASSES = List.of("circle", "square", "triangle");
    private static final int SIZE = 48;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "shapes");
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 2026);
        for (String shape : CLASSES) {
            Files.createDirectories(dir.resolve(shape));
            for (int i = 0; i < perClass; i++) {
                ImageIO.write(draw(shape, random), "png", dir.resolve(shape).resolve(shape + "-" + i + ".png").toFile());
            }
        }
        System.out.println("Wrote " + perClass * CLASSES.size() + " images of " + CLASSES + " to " + dir);
    }

    private static BufferedImage draw(String shape, Random random) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Color background = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        Color ink = contrasting(background, random);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int noise = random.nextInt(41) - 20;
                image.setRGB(x, y, new Color(clamp(background.getRed() + noise), clamp(background.getGreen() + noise),
                        clamp(background.getBlue() + noise)).getRGB());
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(ink);
        int side = SIZE / 3 + random.nextInt(SIZE / 3);
        int left = random.nextInt(SIZE - side);
        int top = random.nextInt(SIZE - side);
        switch (shape) {
            case "circle" -> g.fillOval(left, top, side, side);
            case "square" -> g.fillRect(left, top, side, side);
            default -> g.fillPolygon(new int[] {left, left + side / 2, left + side},
                    new int[] {top + side, top, top + side}, 3);
        }
        g.dispose();
        return image;
    }

    /** A colour far enough from the background to be seen: each channel moved by at least 90. */
    private static Color contrasting(Color background, Random random) {
        return new Color(away(background.getRed(), random), away(background.getGreen(), random),
                away(background.getBlue(), random));
    }

    private static int away(int channel, Random random) {
        int shift = 90 + random.nextInt(100);
        return channel < 128 ? Math.min(255, channel + shift) : Math.max(0, channel - shift);
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}

package io.modelyard.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes untrusted image bytes: the format from the signature, the pixel count from the header before any
 * pixel is allocated, then the pixels, upright and in RGB. Thread-safe; one instance can serve every upload.
 *
 * <p>The pixel limit is the memory bound: a decoded image costs 4 bytes a pixel in RGB, plus the reader's
 * own raster (3 or 4 bytes a pixel) while it converts. The default of 40 million pixels (a 48 MP phone
 * photo is over it, a 7,000 x 5,000 scan is under) costs about 300 MB at the peak of one decode; callers
 * bound how many decodes run at once.
 */
public final class ImageDecoder {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    static {
        // ImageIO finds plugins on the class path of the thread that first touched it; under Quarkus'
        // class loaders that can miss the TwelveMonkeys readers, so look again once.
        ImageIO.scanForPlugins();
    }

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Decodes one image file.
     *
     * @throws NotAnImageException        no supported image signature: the bytes are something else
     * @throws ImageTooLargeException     the header declares more than {@link #maxPixels()} pixels
     * @throws UndecodableImageException  an image signature, but corrupt, truncated or unsupported data
     */
    public DecodedImage decode(byte[] bytes)
            throws NotAnImageException, ImageTooLargeException, UndecodableImageException {
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new NotAnImageException(
                "The bytes start with no JPEG, PNG, GIF, BMP or WebP signature."));
        Read read = read(format, bytes);
        BufferedImage decoded = read.image();
        ImageMode mode = read.sourceMode();
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(bytes) : ExifOrientation.UPRIGHT;
        BufferedImage upright = ExifOrientation.apply(toRgb(decoded), orientation);
        return new DecodedImage(upright, format, mode, upright.getWidth(), upright.getHeight(), orientation);
    }

    /**
     * The width and height the header declares, read without decoding a pixel: what a caller needs to bound the
     * pixels of many images before any of them is decoded. Empty when the bytes have no supported signature or
     * their header cannot be read; {@link #decode} then explains why.
     */
    public static Optional<ImageDimensions> dimensions(byte[] bytes) {
        ImageFormat format = ImageFormat.sniff(bytes).orElse(null);
        if (format == null) {
            return Optional.empty();
        }
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                return width > 0 && height > 0 ? Optional.of(new ImageDimensions(width, height)) : Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // As in decode: readers signal a damaged header with checked and unchecked exceptions alike.
            return Optional.empty();
        }
    }

    /** The pixels as the reader returned them, and the colour layout of the file. */
    private record Read(BufferedImage image, ImageMode sourceMode) {
    }

    private Read read(ImageFormat format, byte[] bytes)
            throws ImageTooLargeException, UndecodableImageException {
        // Memory-cached explicitly: ImageIO's default for a stream is a temporary file per image.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
            if (!readers.hasNext()) {
                throw new UndecodableImageException("No reader for " + format.id() + " is installed.");
            }
            ImageReader reader = readers.next();
            try {
                // Metadata is skipped except for JPEG, whose reader needs the Adobe and ICC segments for colour;
                // a PNG's compressed text chunks would otherwise be inflated, unbounded, into strings.
                reader.setInput(input, true, format != ImageFormat.JPEG);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new UndecodableImageException("The header declares a " + width + " x " + height
                            + " image.");
                }
                if ((long) width * height > maxPixels) {
                    throw new ImageTooLargeException(width, height, maxPixels);
                }
                // Readers report a truncated file as a warning and return the part they read, grey below.
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // The reader converts CMYK to RGB as it decodes; only its raw type still says CMYK.
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                BufferedImage image = reader.read(0);
                String truncation = warnings.stream().filter(ImageDecoder::meansTruncated).findFirst().orElse(null);
                if (truncation != null) {
                    throw new UndecodableImageException("The " + format.id() + " data is incomplete: "
                            + truncation);
                }
                boolean cmyk = raw != null && raw.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK;
                return new Read(image, cmyk ? ImageMode.CMYK : modeOf(image.getColorModel()));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Readers signal damage with IIOException, EOFException, and, on some inputs, runtime exceptions
            // (ArrayIndexOutOfBounds, IllegalArgument): all of them mean "these bytes are damaged".
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UndecodableImageException("The " + format.id() + " data cannot be decoded: " + reason);
        }
    }

    private static boolean meansTruncated(String warning) {
        String text = warning.toLowerCase(Locale.ROOT);
        return text.contains("premature end") || text.contains("truncated") || text.contains("corrupt");
    }

    static ImageMode modeOf(ColorModel model) {
        if (model instanceof IndexColorModel palette) {
            boolean grey = true;
            boolean alpha = palette.getTransparentPixel() >= 0;
            for (int i = 0; i < palette.getMapSize(); i++) {
                grey &= palette.getRed(i) == palette.getGreen(i) && palette.getGreen(i) == palette.getBlue(i);
                alpha |= palette.getAlpha(i) < 255;
            }
            return alpha ? ImageMode.INDEXED_RGBA : grey ? ImageMode.INDEXED_GRAYSCALE : ImageMode.INDEXED_RGB;
        }
        int space = model.getColorSpace().getType();
        if (space == ColorSpace.TYPE_CMYK) {
            return ImageMode.CMYK;
        }
        if (space == ColorSpace.TYPE_GRAY) {
            return model.hasAlpha() ? ImageMode.GRAYSCALE_ALPHA : ImageMode.GRAYSCALE;
        }
        return model.hasAlpha() ? ImageMode.RGBA : ImageMode.RGB;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int space = image.getColorModel().getColorSpace().getType();
        if (space == ColorSpace.TYPE_CMYK) {
            // Drawing would convert pixel by pixel through the ICC profile; the op converts the raster in bulk.
            new ColorConvertOp(null).filter(image, rgb);
            return rgb;
        }
        Graphics2D graphics = rgb.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            graphics.drawImage(image, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }
}

package io.modelyard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void sniffsEveryFormatFromItsSignatureNotItsName() {
        BufferedImage picture = TestImages.shapes(32, 24, 1);
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.sniff(TestImages.png(picture)));
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.sniff(TestImages.jpeg(picture)));
        assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.sniff(TestImages.gif(picture)));
        assertEquals(Optional.of(ImageFormat.BMP), ImageFormat.sniff(TestImages.bmp(picture)));
        assertEquals(Optional.of(ImageFormat.WEBP), ImageFormat.sniff(TestImages.webp()));
        assertEquals(Optional.empty(), ImageFormat.sniff("BMW owners manual".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ImageFormat.sniff(new byte[0]));
    }

    @Test
    void decodesPngJpegGifBmpToRgbWithTheirSizes() throws Exception {
        BufferedImage picture = TestImages.shapes(64, 48, 2);
        for (byte[] file : new byte[][] {TestImages.png(picture), TestImages.jpeg(picture), TestImages.gif(picture),
                TestImages.bmp(picture)}) {
            DecodedImage decoded = decoder.decode(file);
            assertEquals(64, decoded.width());
            assertEquals(48, decoded.height());
            assertEquals(BufferedImage.TYPE_INT_RGB, decoded.pixels().getType());
            assertEquals(1, decoded.orientation());
        }
    }

    @Test
    void reportsTheSourceMode() throws Exception {
        BufferedImage picture = TestImages.shapes(40, 30, 3);
        assertEquals(ImageMode.RGB, decoder.decode(TestImages.png(picture)).mode());
        assertEquals(ImageMode.RGB, decoder.decode(TestImages.jpeg(picture)).mode());
        BufferedImage grey = TestImages.converted(picture, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(ImageMode.GRAYSCALE, decoder.decode(TestImages.png(grey)).mode());
        assertEquals(ImageMode.GRAYSCALE, decoder.decode(TestImages.jpeg(grey)).mode());
        BufferedImage translucent = TestImages.converted(picture, BufferedImage.TYPE_INT_ARGB);
        translucent.setRGB(0, 0, 0x00FFFFFF);
        assertEquals(ImageMode.RGBA, decoder.decode(TestImages.png(translucent)).mode());
        assertTrue(decoder.decode(TestImages.gif(picture)).mode().name().startsWith("INDEXED_"));
    }

    @Test
    void decodesACmykJpegToRgb() throws Exception {
        DecodedImage decoded = decoder.decode(TestImages.cmykJpeg(64, 32));
        assertEquals(ImageMode.CMYK, decoded.mode());
        assertEquals(64, decoded.width());
        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.pixels().getType());
    }

    @Test
    void decodesWebpWithAlpha() throws Exception {
        DecodedImage decoded = decoder.decode(TestImages.webp());
        assertEquals(ImageFormat.WEBP, decoded.format());
        assertEquals(16, decoded.width());
        assertEquals(16, decoded.height());
        assertEquals(ImageMode.RGBA, decoded.mode());
    }

    @Test
    void refusesAnOversizedImageFromItsHeaderAlone() {
        ImageTooLargeException refused = assertThrows(ImageTooLargeException.class,
                () -> decoder.decode(TestImages.pngHeaderOnly(100_000, 100_000)));
        assertEquals(100_000, refused.width());
        assertEquals(ImageDecoder.DEFAULT_MAX_PIXELS, refused.maxPixels());
        assertThrows(ImageTooLargeException.class,
                () -> new ImageDecoder(100).decode(TestImages.png(TestImages.shapes(20, 20, 4))));
    }

    @Test
    void readsTheDimensionsFromTheHeaderWithoutDecoding() {
        BufferedImage picture = TestImages.shapes(64, 48, 6);
        for (byte[] file : new byte[][] {TestImages.png(picture), TestImages.jpeg(picture), TestImages.gif(picture),
                TestImages.bmp(picture)}) {
            ImageDimensions dimensions = ImageDecoder.dimensions(file).orElseThrow();
            assertEquals(64, dimensions.width());
            assertEquals(48, dimensions.height());
            assertEquals(64 * 48, dimensions.pixels());
        }
        // Only the header exists: decoding would need 40 GB; the dimensions cost nothing.
        ImageDimensions declared = ImageDecoder.dimensions(TestImages.pngHeaderOnly(100_000, 100_000)).orElseThrow();
        assertEquals(10_000_000_000L, declared.pixels());
    }

    @Test
    void aHeaderThatCannotBeReadHasNoDimensions() {
        byte[] png = TestImages.png(TestImages.shapes(64, 48, 7));
        assertEquals(Optional.empty(), ImageDecoder.dimensions(Arrays.copyOf(png, 20)));
        assertEquals(Optional.empty(), ImageDecoder.dimensions(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0,
                1, 2, 3}));
        assertEquals(Optional.empty(), ImageDecoder.dimensions(Arrays.copyOf(TestImages.jpeg(
                TestImages.shapes(64, 48, 7)), 40)));
        assertEquals(Optional.empty(), ImageDecoder.dimensions("plain text".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ImageDecoder.dimensions(new byte[0]));
    }

    @Test
    void truncatedOrCorruptImagesAreUndecodableWithAReason() {
        BufferedImage picture = TestImages.shapes(200, 150, 5);
        for (byte[] damaged : new byte[][] {TestImages.truncated(TestImages.png(picture), 0.5),
                TestImages.truncated(TestImages.jpeg(picture), 0.5), new byte[] {(byte) 0xFF, (byte) 0xD8,
                        (byte) 0xFF, 0, 1, 2, 3}}) {
            UndecodableImageException refused = assertThrows(UndecodableImageException.class,
                    () -> decoder.decode(damaged));
            assertTrue(refused.getMessage().length() > 10, refused.getMessage());
        }
    }

    @Test
    void bytesWithoutAnImageSignatureAreNotAnImage() {
        assertThrows(NotAnImageException.class,
                () -> decoder.decode("file,label\na.png,cat\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void appliesExifOrientationSixAsAQuarterTurnClockwise() throws Exception {
        BufferedImage picture = new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 80, 40);
        g.setColor(Color.RED);
        g.fillRect(0, 0, 20, 20); // the top-left corner, which must end up top-right
        g.dispose();
        DecodedImage decoded = decoder.decode(TestImages.jpegWithOrientation(picture, 6));
        assertEquals(6, decoded.orientation());
        assertEquals(40, decoded.width());
        assertEquals(80, decoded.height());
        assertReddish(decoded.pixels().getRGB(decoded.width() - 5, 5));
        assertBluish(decoded.pixels().getRGB(5, 5));
    }

    @Test
    void orientationsMapCornersLikeExifSays() {
        BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(0, 0, 0xFF0000); // top-left marked
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 2).getRGB(2, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 3).getRGB(2, 1) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 4).getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 5).getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 6).getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 7).getRGB(1, 2) & 0xFFFFFF);
        assertEquals(0xFF0000, ExifOrientation.apply(picture, 8).getRGB(0, 2) & 0xFFFFFF);
    }

    private static void assertReddish(int rgb) {
        assertTrue((rgb >> 16 & 0xFF) > 200 && (rgb & 0xFF) < 60, Integer.toHexString(rgb));
    }

    private static void assertBluish(int rgb) {
        assertTrue((rgb & 0xFF) > 200 && (rgb >> 16 & 0xFF) < 60, Integer.toHexString(rgb));
    }
}

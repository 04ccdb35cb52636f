package io.modelyard.image;

import java.awt.image.BufferedImage;

/**
 * The EXIF orientation tag (0x0112) of a JPEG, and the turn or flip it asks for. Cameras store the sensor's
 * pixels and record how the phone was held; a viewer, and so a model, must see the upright picture.
 * Parsed by hand: one tag in the first IFD, and any damage means "no orientation" rather than a failure.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;

    private static final int APP1 = 0xE1;
    private static final int START_OF_SCAN = 0xDA;
    private static final int END_OF_IMAGE = 0xD9;
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    /** The orientation (1 to 8) the JPEG's Exif segment declares; 1 when it has none or it is damaged. */
    static int of(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte before a marker
                continue;
            }
            if (marker == START_OF_SCAN || marker == END_OF_IMAGE) {
                break; // metadata segments all come before the scan
            }
            int length = u16(jpeg, pos + 2, false);
            if (length < 2) {
                break;
            }
            int body = pos + 4;
            if (marker == APP1 && length >= 8 && body + 6 <= jpeg.length && isExifHeader(jpeg, body)) {
                return fromTiff(jpeg, body + 6, Math.min(jpeg.length, pos + 2 + length));
            }
            pos += 2 + length;
        }
        return UPRIGHT;
    }

    private static boolean isExifHeader(byte[] data, int at) {
        return data[at] == 'E' && data[at + 1] == 'x' && data[at + 2] == 'i' && data[at + 3] == 'f'
                && data[at + 4] == 0 && data[at + 5] == 0;
    }

    private static int fromTiff(byte[] data, int tiff, int end) {
        if (tiff + 8 > end) {
            return UPRIGHT;
        }
        boolean little;
        if (data[tiff] == 'I' && data[tiff + 1] == 'I') {
            little = true;
        } else if (data[tiff] == 'M' && data[tiff + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        long ifd = u32(data, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return UPRIGHT;
        }
        int entries = tiff + (int) ifd;
        int count = u16(data, entries, little);
        for (int i = 0; i < count; i++) {
            int entry = entries + 2 + i * 12;
            if (entry + 12 > end) {
                return UPRIGHT;
            }
            if (u16(data, entry, little) == ORIENTATION_TAG && u16(data, entry + 2, little) == TYPE_SHORT) {
                int value = u16(data, entry + 8, little);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    /** The upright picture: {@code source} turned and flipped as {@code orientation} asks, in a new image. */
    static BufferedImage apply(BufferedImage source, int orientation) {
        if (orientation == UPRIGHT) {
            return source;
        }
        int w = source.getWidth();
        int h = source.getHeight();
        boolean swaps = orientation >= 5;
        int outWidth = swaps ? h : w;
        int outHeight = swaps ? w : h;
        int[] in = source.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[in.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // upside down
                    case 4 -> { sx = x; sy = h - 1 - y; }          // mirrored upside down
                    case 5 -> { sx = y; sy = x; }                  // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }          // needs a quarter turn clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
                    default -> { sx = w - 1 - y; sy = x; }         // 8: needs a quarter turn anticlockwise
                }
                out[y * outWidth + x] = in[sy * w + sx];
            }
        }
        BufferedImage upright = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        upright.setRGB(0, 0, outWidth, outHeight, out, 0, outWidth);
        return upright;
    }

    private static int u16(byte[] data, int at, boolean little) {
        if (at + 2 > data.length) {
            return -1;
        }
        int a = data[at] & 0xFF;
        int b = data[at + 1] & 0xFF;
        return little ? a | b << 8 : a << 8 | b;
    }

    private static long u32(byte[] data, int at, boolean little) {
        if (at + 4 > data.length) {
            return -1;
        }
        long high = u16(data, little ? at + 2 : at, little);
        long low = u16(data, little ? at : at + 2, little);
        return high << 16 | low;
    }
}

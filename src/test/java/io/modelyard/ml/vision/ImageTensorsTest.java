package io.modelyard.ml.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;

    /** A 300×100 image, red | green | blue in thirds: the centre crop keeps only the green middle. */
    @Test
    void aWideImageKeepsItsCentre() {
        BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        fill(wide, 0, 0, 100, 100, RED);
        fill(wide, 100, 0, 100, 100, GREEN);
        fill(wide, 200, 0, 100, 100, BLUE);
        byte[] chw = ImageTensors.toChw(wide, 10);
        assertEquals(3 * 10 * 10, chw.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, chw[i] & 0xFF, "red at " + i);
            assertEquals(255, chw[100 + i] & 0xFF, "green at " + i);
            assertEquals(0, chw[200 + i] & 0xFF, "blue at " + i);
        }
    }

    /** A tall image: top and bottom are cut; a left half black, right half white square stays so. */
    @Test
    void aTallImageKeepsItsMiddleBandAndItsLayout() {
        BufferedImage tall = new BufferedImage(40, 80, BufferedImage.TYPE_INT_RGB);
        fill(tall, 0, 0, 40, 80, RED);
        fill(tall, 0, 20, 20, 40, 0x000000);
        fill(tall, 20, 20, 20, 40, 0xFFFFFF);
        byte[] chw = ImageTensors.toChw(tall, 8);
        int[] rgb = pixel(chw, 8, 0, 0);
        assertArrayEquals(new int[] {0, 0, 0}, rgb);
        assertArrayEquals(new int[] {255, 255, 255}, pixel(chw, 8, 7, 7));
    }

    /** Halving many times still averages: a fine checkerboard becomes mid grey, not black or white. */
    @Test
    void aLargeImageIsAveragedWhenShrunk() {
        BufferedImage board = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                board.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        byte[] chw = ImageTensors.toChw(board, 32);
        for (byte b : chw) {
            int v = b & 0xFF;
            assertTrue(v > 100 && v < 155, "a checkerboard pixel became " + v);
        }
    }

    @Test
    void transparencyIsCompositedOverWhite() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        fill(image, 0, 0, 4, 2, 0x00000000); // fully transparent black: white
        for (int y = 2; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, 0x80FF0000); // half transparent red: pink
            }
        }
        byte[] chw = ImageTensors.toChw(image, 4);
        assertArrayEquals(new int[] {255, 255, 255}, pixel(chw, 4, 0, 0));
        int[] pink = pixel(chw, 4, 0, 3);
        assertEquals(255, pink[0]);
        assertEquals(127, pink[1], 1);
        assertEquals(127, pink[2], 1);
    }

    @Test
    void greyBecomesThreeEqualChannelsOfTheSameValue() {
        BufferedImage grey = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        byte[] chw = ImageTensors.toChw(grey, 6);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                assertArrayEquals(new int[] {100, 100, 100}, pixel(chw, 6, x, y));
            }
        }
    }

    @Test
    void aSmallImageIsEnlarged() {
        BufferedImage tiny = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        fill(tiny, 0, 0, 2, 2, BLUE);
        byte[] chw = ImageTensors.toChw(tiny, 16);
        assertArrayEquals(new int[] {0, 0, 255}, pixel(chw, 16, 8, 8));
    }

    static int[] pixel(byte[] chw, int size, int x, int y) {
        int plane = size * size;
        int i = y * size + x;
        return new int[] {chw[i] & 0xFF, chw[plane + i] & 0xFF, chw[2 * plane + i] & 0xFF};
    }

    private static void fill(BufferedImage image, int x, int y, int width, int height, int argb) {
        Graphics2D g = image.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.setColor(new Color(argb, true));
        g.fillRect(x, y, width, height);
        g.dispose();
    }
}

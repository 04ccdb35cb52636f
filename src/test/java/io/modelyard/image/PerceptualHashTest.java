package io.modelyard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

    @Test
    void aBrightenedOrReencodedCopyIsANearDuplicate() throws Exception {
        BufferedImage picture = TestImages.shapes(160, 120, 11);
        long hash = PerceptualHash.dHash(picture);
        long brighter = PerceptualHash.dHash(TestImages.brightened(picture, 12));
        long reencoded = PerceptualHash.dHash(new ImageDecoder().decode(TestImages.jpeg(picture)).pixels());
        assertTrue(PerceptualHash.nearDuplicates(hash, brighter), "distance " + PerceptualHash.distance(hash, brighter));
        assertTrue(PerceptualHash.nearDuplicates(hash, reencoded),
                "distance " + PerceptualHash.distance(hash, reencoded));
    }

    @Test
    void unrelatedPicturesAreFarApart() {
        long first = PerceptualHash.dHash(TestImages.shapes(160, 120, 12));
        long second = PerceptualHash.dHash(TestImages.shapes(160, 120, 13));
        assertFalse(PerceptualHash.nearDuplicates(first, second), "distance " + PerceptualHash.distance(first, second));
    }

    @Test
    void distanceCountsDifferingBits() {
        assertEquals(0, PerceptualHash.distance(42L, 42L));
        assertEquals(64, PerceptualHash.distance(0L, -1L));
        assertEquals(2, PerceptualHash.distance(0b1010L, 0b0000L));
    }

    @Test
    void tinyImagesStillHash() {
        PerceptualHash.dHash(TestImages.shapes(3, 2, 14));
    }

    @Test
    void thumbnailsKeepTheAspectAndNeverEnlarge() throws Exception {
        DecodedImage thumbnail = new ImageDecoder().decode(new Thumbnails().jpeg(TestImages.shapes(400, 200, 15)));
        assertEquals(ImageFormat.JPEG, thumbnail.format());
        assertEquals(96, thumbnail.width());
        assertEquals(48, thumbnail.height());
        DecodedImage small = new ImageDecoder().decode(new Thumbnails().jpeg(TestImages.shapes(50, 30, 16)));
        assertEquals(50, small.width());
        assertEquals(30, small.height());
    }
}

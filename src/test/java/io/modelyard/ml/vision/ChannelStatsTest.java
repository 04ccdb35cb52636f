package io.modelyard.ml.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {

    /** Two 1×1 images: red 0 and 255 (mean 0.5, std 0.5), green always 51 (constant: std 1), blue 255 and 0. */
    @Test
    void fitsEachChannelOnValuesScaledToOne() {
        ChannelStats stats = ChannelStats.fit(List.of(new byte[] {0, 51, (byte) 255}, new byte[] {(byte) 255, 51, 0}));
        assertEquals(0.5, stats.mean().get(0), 1e-9);
        assertEquals(0.5, stats.std().get(0), 1e-9);
        assertEquals(0.2, stats.mean().get(1), 1e-9);
        assertEquals(1.0, stats.std().get(1), 1e-9);
        assertEquals(0.5, stats.mean().get(2), 1e-9);
        assertEquals(0.5, stats.std().get(2), 1e-9);
    }

    @Test
    void survivesTheArtifact() throws IOException {
        byte[][] images = SyntheticShapes.chw(SyntheticShapes.generate(20, 16, 5, 3));
        ChannelStats stats = ChannelStats.fit(List.of(images));
        assertEquals(stats, ChannelStats.read(stats.toBytes()));
    }
}

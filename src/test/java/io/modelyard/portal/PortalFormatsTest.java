package io.modelyard.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PortalFormatsTest {

    @Test
    void countsAreGroupedByThousands() {
        assertEquals("450", PortalFormats.grouped(450));
        assertEquals("1,250,000", PortalFormats.grouped(1_250_000));
        assertEquals("-12,000", PortalFormats.grouped(-12_000));
    }

    @Test
    void sizesAreWrittenInAHumanUnit() {
        assertEquals("512 B", PortalFormats.bytes(512));
        assertEquals("1.5 KB", PortalFormats.bytes(1536));
        assertEquals("2.0 GB", PortalFormats.bytes(2L << 30));
    }
}

package io.modelyard.dataset.image;

import io.modelyard.image.ImageDecoder;

/**
 * What an image archive may cost to read. Sizes count the bytes actually inflated, never the sizes the zip
 * declares.
 *
 * @param maxEntries           entries in the central directory, junk and folders included (each costs work)
 * @param maxEntryBytes        inflated bytes of one entry
 * @param maxTotalBytes        inflated bytes of all entries read
 * @param maxCompressionRatio  inflated / compressed bytes of one entry. Images are already compressed and
 *                             deflate to about 1:1 (raw BMPs of flat colour to 10-50:1); a zip bomb reaches
 *                             1,000:1
 * @param ratioExemptBytes     an entry is held to the ratio only once it has inflated past this many bytes,
 *                             so a tiny, highly compressible file (a 2 KiB flat PNG, the manifest) passes
 * @param maxPixels            width x height an image header may declare; see {@link ImageDecoder}
 */
public record ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxCompressionRatio,
        long ratioExemptBytes, long maxPixels) {

    public static final int DEFAULT_MAX_ENTRIES = 50_000;
    public static final long DEFAULT_MAX_ENTRY_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
    public static final long DEFAULT_RATIO_EXEMPT_BYTES = 64L * 1024;

    public ArchiveLimits {
        if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxCompressionRatio < 1
                || ratioExemptBytes < 0 || maxPixels < 1) {
            throw new IllegalArgumentException("Archive limits must be positive");
        }
    }

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES,
                DEFAULT_MAX_COMPRESSION_RATIO, DEFAULT_RATIO_EXEMPT_BYTES, ImageDecoder.DEFAULT_MAX_PIXELS);
    }
}

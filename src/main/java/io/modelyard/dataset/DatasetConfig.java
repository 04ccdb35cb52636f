package io.modelyard.dataset;

import io.modelyard.dataset.image.ArchiveLimits;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Dataset limits and housekeeping. Keys under {@code modelyard.datasets}; documented in the README ("Settings"). */
@ConfigMapping(prefix = "modelyard.datasets")
public interface DatasetConfig {

    /** One field (CSV cell, JSON value), in UTF-8 bytes; longer is 422 {@code field-too-long}. */
    @WithDefault("1M")
    MemorySize maxFieldBytes();

    /** One record, in UTF-8 bytes; longer is 422 {@code row-too-long}. */
    @WithDefault("8M")
    MemorySize maxRowBytes();

    /** Columns in the header; more is 422 {@code too-many-columns}. */
    @WithDefault("1000")
    int maxColumns();

    /** Data rows; more is 422 {@code too-many-rows}. */
    @WithDefault("2000000")
    long maxRows();

    /** Distinct labels of a classification dataset; more is 422 {@code too-many-classes}. */
    @WithDefault("1000")
    int maxClasses();

    /** Errors, and warnings, listed in a validation report (all are counted in its totals). */
    @WithDefault("100")
    int maxListedIssues();

    /** Where tabular ingests write their temporary candidate file (deleted when the call ends). */
    Optional<String> workDir();

    /**
     * Bytes of candidate files all tabular ingests of this process may hold in {@link #workDir()} at once; an
     * ingest that would pass it answers 503 (nothing kept) instead of filling the disk.
     */
    @WithDefault("10G")
    MemorySize scratchMaxBytes();

    /** Largest page of {@code GET .../rows}. */
    @WithDefault("1000")
    int maxRowsPerPage();

    Sweep sweep();

    Images images();

    /** What an image dataset's zip may hold; every limit counts what is read, never what the zip declares. */
    interface Images {

        /** Entries in the archive, folders included; more is 422 {@code too-many-archive-entries}. */
        @WithDefault("50000")
        int maxEntries();

        /** Inflated bytes of one entry; more is 422. */
        @WithDefault("20M")
        MemorySize maxEntryBytes();

        /** Inflated bytes of the whole archive; more is 422. */
        @WithDefault("2G")
        MemorySize maxTotalBytes();

        /** Inflated to compressed bytes of one entry past its first 64 KiB; more is a zip bomb (422). */
        @WithDefault("100")
        int maxCompressionRatio();

        /** Pixels (width × height, read from the header before decoding) of one image; more is 422. */
        @WithDefault("40000000")
        long maxPixels();

        default ArchiveLimits limits() {
            return new ArchiveLimits(maxEntries(), maxEntryBytes().asLongValue(), maxTotalBytes().asLongValue(),
                    maxCompressionRatio(), ArchiveLimits.DEFAULT_RATIO_EXEMPT_BYTES, maxPixels());
        }
    }

    interface Sweep {

        /** How often orphaned dataset blobs are looked for. */
        @WithDefault("1h")
        Duration interval();

        /** Only blobs (and unfinished writes) older than this are removed: uploads in flight are younger. */
        @WithDefault("24h")
        Duration grace();

        @WithDefault("true")
        boolean enabled();
    }
}

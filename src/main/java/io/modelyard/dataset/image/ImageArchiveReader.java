package io.modelyard.dataset.image;

import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.image.DecodedImage;
import io.modelyard.image.ImageDecoder;
import io.modelyard.image.ImageFormat;
import io.modelyard.image.ImageTooLargeException;
import io.modelyard.image.NotAnImageException;
import io.modelyard.image.PerceptualHash;
import io.modelyard.image.Thumbnails;
import io.modelyard.image.UndecodableImageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a zip of labelled images, refusing (with a {@link io.modelyard.common.ProblemException} naming the
 * entry in {@code entry}) anything unsafe or over a limit, and handing each decodable image to a sink.
 *
 * <p>Why a file and not a stream: a streaming reader ({@code ZipInputStream}) sees only local headers, which
 * carry neither the Unix mode (symbolic links live in the central directory's external attributes) nor,
 * reliably, the sizes; and it reads entries the central directory may not list, so it and every other tool
 * can disagree on what the archive holds. So the upload (already size-bounded by the caller) is spooled to
 * a temporary file, the central directory is checked first, by hand ({@link CentralDirectory}), before a
 * byte is inflated, and {@link ZipFile} then inflates the entries it lists, in its order. Sizes and ratios
 * are counted on the bytes actually inflated.
 */
public final class ImageArchiveReader {

    private final ArchiveLimits limits;
    private final ImageDecoder decoder;
    private final Thumbnails thumbnails;

    public ImageArchiveReader(ArchiveLimits limits) {
        this(limits, new Thumbnails());
    }

    public ImageArchiveReader(ArchiveLimits limits, Thumbnails thumbnails) {
        this.limits = limits;
        this.decoder = new ImageDecoder(limits.maxPixels());
        this.thumbnails = thumbnails;
    }

    /**
     * Reads an uploaded zip from a stream the caller has bounded in size; spools it to a temporary file that
     * is deleted before returning.
     */
    public ImageArchive read(InputStream upload, ArchiveImageSink sink) throws IOException {
        Path spool = Files.createTempFile("modelyard-image-archive-", ".zip");
        try {
            Files.copy(upload, spool, StandardCopyOption.REPLACE_EXISTING);
            return read(spool, sink);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Reads a zip file: every entry is checked, each decodable image goes to {@code sink} as it is met, and
     * the labels are settled at the end.
     *
     * @throws io.modelyard.common.ProblemException a {@link DatasetProblem} refusal (400 for a malformed
     *         archive, 422 otherwise), with the entry's path in {@code entry} when one entry is to blame
     * @throws IOException reading the file or the sink failed
     */
    public ImageArchive read(Path zip, ArchiveImageSink sink) throws IOException {
        return read(zip, sink, true);
    }

    /**
     * Reads a zip of images to predict, which need no label: every check of {@link #read(Path, ArchiveImageSink)}
     * holds (paths, links, encryption, nesting, entry count, sizes, ratios, pixels, non-image files), but any
     * folder layout is accepted and a {@code labels.csv} where a dataset's manifest would sit (the root or the one
     * top folder) is skipped unread. The result's images have no label and no split.
     */
    public ImageArchive readUnlabelled(Path zip, ArchiveImageSink sink) throws IOException {
        return read(zip, sink, false);
    }

    private ImageArchive read(Path zip, ArchiveImageSink sink, boolean labelled) throws IOException {
        List<CentralDirectory.Entry> records = CentralDirectory.read(zip, limits.maxEntries());
        if (records.size() > limits.maxEntries()) {
            String first = records.get(limits.maxEntries()).name();
            throw DatasetProblem.TOO_MANY_ARCHIVE_ENTRIES.limitInEntry(first, "max_entries", limits.maxEntries(),
                    "The archive has more than " + limits.maxEntries() + " entries; '" + first
                            + "' is the first past the limit.");
        }
        Set<String> names = new HashSet<>();
        Set<String> files = new LinkedHashSet<>();
        for (CentralDirectory.Entry record : records) {
            EntrySafety.checkRecord(record);
            if (!names.add(record.name())) {
                throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(record.name(), "The archive holds '"
                        + record.name() + "' twice; tools disagree on which one counts.");
            }
            if (!ArchiveLayout.isJunk(record.name())) {
                files.add(record.name());
            }
        }
        ArchiveLayout layout = ArchiveLayout.of(files);
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            Reading reading = new Reading(zipFile, layout, sink, labelled);
            return reading.readAll(records, files);
        } catch (ZipException e) {
            throw DatasetProblem.MALFORMED_ARCHIVE.problem("The zip archive is damaged: " + e.getMessage());
        }
    }

    /** The state of one read: totals so far, what was found. */
    private final class Reading {

        private final ZipFile zipFile;
        private final ArchiveLayout layout;
        private final ArchiveImageSink sink;
        private final boolean labelled;
        private final List<LabelledImage> decoded = new ArrayList<>();
        private final List<UndecodableImage> undecodable = new ArrayList<>();
        private long inflated;
        private int skipped;

        Reading(ZipFile zipFile, ArchiveLayout layout, ArchiveImageSink sink, boolean labelled) {
            this.zipFile = zipFile;
            this.layout = layout;
            this.sink = sink;
            this.labelled = labelled;
        }

        ImageArchive readAll(List<CentralDirectory.Entry> records, Set<String> files) throws IOException {
            // The manifest is read first wherever it sits, so images it does not name are refused early.
            Optional<Map<String, LabelsManifest.Row>> manifest = labelled ? layout.manifest()
                    .map(name -> LabelsManifest.parse(name, inflate(name))) : Optional.empty();
            manifest.ifPresent(rows -> checkManifestNamesOnlyFiles(rows, files));
            Enumeration<? extends ZipEntry> entries = zipFile.entries();
            for (CentralDirectory.Entry record : records) {
                ZipEntry entry = entries.hasMoreElements() ? entries.nextElement() : null;
                if (entry == null || !entry.getName().equals(record.name())) {
                    throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(record.name(), "The zip archive's directory"
                            + " is inconsistent near '" + record.name() + "'.");
                }
                boolean ignoredManifest = !labelled && layout.manifest().map(record.name()::equals).orElse(false);
                if (!files.contains(record.name()) || ignoredManifest) {
                    skipped++;
                } else if (!layout.manifest().map(record.name()::equals).orElse(false)) {
                    readImage(record.name(), manifest);
                }
            }
            List<LabelledImage> images = labelled ? decoded.stream().map(image -> labelled(image, manifest)).toList()
                    : decoded;
            return new ImageArchive(images, undecodable, records.size(), skipped, inflated, manifest.isPresent());
        }

        private void readImage(String name, Optional<Map<String, LabelsManifest.Row>> manifest) throws IOException {
            EntrySafety.checkNotNamedLikeArchive(name);
            byte[] bytes = inflate(name);
            EntrySafety.checkNotAnArchive(name, bytes);
            if (ImageFormat.sniff(bytes).isEmpty()) {
                throw notAnImage(name);
            }
            if (labelled) {
                checkHasLabel(name, manifest);
            }
            DecodedImage image;
            try {
                image = decoder.decode(bytes);
            } catch (NotAnImageException e) {
                throw notAnImage(name);
            } catch (ImageTooLargeException e) {
                throw DatasetProblem.IMAGE_TOO_LARGE.limitInEntry(name, "max_pixels", e.maxPixels(),
                        "The image '" + name + "' is " + e.width() + " x " + e.height() + " pixels; at most "
                                + e.maxPixels() + " pixels are allowed.");
            } catch (UndecodableImageException e) {
                undecodable.add(new UndecodableImage(name, e.getMessage()));
                sink.undecodable(name, bytes);
                return;
            }
            // A dataset shows thumbnails and finds near-duplicates; images read to be predicted need neither.
            ArchiveImage archived = new ArchiveImage(name, sha256(bytes), bytes, image.width(), image.height(),
                    image.mode(), image.format(), labelled ? PerceptualHash.dHash(image.pixels()) : 0,
                    labelled ? thumbnails.jpeg(image.pixels()) : null);
            sink.accept(archived);
            decoded.add(new LabelledImage(name, archived.sha256(), null, null, archived.width(), archived.height(),
                    archived.mode(), archived.format(), archived.dHash())); // labelled once the read is over
        }

        private void checkHasLabel(String name, Optional<Map<String, LabelsManifest.Row>> manifest) {
            if (manifest.isPresent()) {
                // Labels come from one place: an image the manifest forgot is a mistake, not a folder label.
                if (!manifest.get().containsKey(layout.relative(name))) {
                    throw DatasetProblem.IMAGE_NOT_IN_MANIFEST.inEntry(name, "The image '" + name + "' has no row in "
                            + layout.manifest().orElseThrow() + "; add one, or leave the image out of the archive.");
                }
            } else if (layout.folderLabel(name).isEmpty()) {
                throw DatasetProblem.UNLABELLED_IMAGE.inEntry(name, "The image '" + name
                        + "' is not in a class folder: put each image in a folder named after its label"
                        + " (optionally inside train/, validation/ or test/), or add a labels.csv.");
            }
        }

        private void checkManifestNamesOnlyFiles(Map<String, LabelsManifest.Row> rows, Set<String> files) {
            Set<String> present = new HashSet<>();
            files.forEach(name -> present.add(layout.relative(name)));
            rows.forEach((path, row) -> {
                if (!present.contains(path)) {
                    String manifestName = layout.manifest().orElseThrow();
                    throw DatasetProblem.MANIFEST_NAMES_MISSING_FILE.inEntry(manifestName, "Row " + row.row()
                            + " of " + manifestName + " names '" + path + "', which the archive does not hold.")
                            .with("row", row.row()).with("file", path);
                }
            });
        }

        private LabelledImage labelled(LabelledImage image, Optional<Map<String, LabelsManifest.Row>> manifest) {
            String label;
            ImageSplit split;
            if (manifest.isPresent()) {
                LabelsManifest.Row row = manifest.get().get(layout.relative(image.path()));
                label = row.label();
                split = row.split() != null ? row.split() : layout.folderSplit(image.path()).orElse(null);
            } else {
                ArchiveLayout.FolderLabel folder = layout.folderLabel(image.path()).orElseThrow();
                label = folder.label();
                split = folder.split();
            }
            return new LabelledImage(image.path(), image.sha256(), label, split, image.width(), image.height(),
                    image.mode(), image.format(), image.dHash());
        }

        /** The entry's bytes, counted as they inflate against the entry, total and ratio limits. */
        private byte[] inflate(String name) {
            ZipEntry entry = zipFile.getEntry(name);
            long compressed = Math.max(1, entry.getCompressedSize());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            CRC32 crc = new CRC32();
            try (InputStream in = zipFile.getInputStream(entry)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read += n;
                    inflated += n;
                    if (read > limits.ratioExemptBytes() && read > compressed * limits.maxCompressionRatio()) {
                        throw DatasetProblem.COMPRESSION_RATIO_TOO_HIGH.limitInEntry(name, "max_compression_ratio",
                                limits.maxCompressionRatio(), "The entry '" + name + "' inflates to more than "
                                        + limits.maxCompressionRatio() + " times its compressed size ("
                                        + compressed + " bytes): it looks like a zip bomb.");
                    }
                    if (read > limits.maxEntryBytes()) {
                        throw DatasetProblem.ARCHIVE_ENTRY_TOO_LARGE.limitInEntry(name, "max_entry_bytes",
                                limits.maxEntryBytes(), "The entry '" + name + "' is larger than "
                                        + limits.maxEntryBytes() + " bytes uncompressed.");
                    }
                    if (inflated > limits.maxTotalBytes()) {
                        throw DatasetProblem.ARCHIVE_TOO_LARGE.limitInEntry(name, "max_total_bytes",
                                limits.maxTotalBytes(), "The archive inflates to more than " + limits.maxTotalBytes()
                                        + " bytes; the limit was passed at '" + name + "'.");
                    }
                    out.write(buffer, 0, n);
                    crc.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(name, "The entry '" + name
                        + "' cannot be inflated: " + e.getMessage() + " (the archive is damaged or truncated).");
            }
            // ZipFile does not check the CRC; damaged bytes would otherwise pass as a damaged image, or as a
            // subtly different one.
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(name, "The entry '" + name
                        + "' does not match its checksum: the archive is damaged.");
            }
            return out.toByteArray();
        }
    }

    private static RuntimeException notAnImage(String name) {
        return DatasetProblem.NOT_AN_IMAGE.inEntry(name, "The entry '" + name + "' is not a JPEG, PNG, GIF, BMP"
                + " or WebP image; an image archive holds images, folders and an optional labels.csv only.");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}

package io.modelyard.dataset.image;

import java.util.List;

/**
 * What an image archive held.
 *
 * @param images             the decodable images in archive order, labelled
 * @param undecodable        entries with an image signature that would not decode (not passed to the sink)
 * @param entries            entries in the archive, folders and junk included
 * @param skippedEntries     folders and operating-system junk ({@code __MACOSX/}, {@code .DS_Store}, ...)
 * @param inflatedBytes      bytes inflated while reading
 * @param labelledByManifest whether a {@code labels.csv} gave the labels (otherwise the folders did)
 */
public record ImageArchive(List<LabelledImage> images, List<UndecodableImage> undecodable, int entries,
        int skippedEntries, long inflatedBytes, boolean labelledByManifest) {

    public ImageArchive {
        images = List.copyOf(images);
        undecodable = List.copyOf(undecodable);
    }
}

package io.modelyard.dataset.image;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where labels come from, read off the entry names: class folders ({@code cat/1.png}), optionally inside
 * a split folder ({@code train/cat/1.png}; {@code train}, {@code validation} or {@code val}, {@code test}),
 * optionally all inside one top folder (a zipped {@code shapes/} folder); or a {@code labels.csv} at the
 * root of the archive or of that top folder.
 */
final class ArchiveLayout {

    static final String MANIFEST = "labels.csv";
    private static final Set<String> JUNK_FILES = Set.of(".ds_store", "thumbs.db", "desktop.ini");

    /** A label from the folders, and the split folder when there was one (else null). */
    record FolderLabel(String label, ImageSplit split) {
    }

    private final String topFolder;
    private final String manifestPath;

    private ArchiveLayout(String topFolder, String manifestPath) {
        this.topFolder = topFolder;
        this.manifestPath = manifestPath;
    }

    /** Folders, and what operating systems add when they zip a folder; skipped without a word. */
    static boolean isJunk(String name) {
        if (name.endsWith("/")) {
            return true;
        }
        String[] segments = name.split("/");
        String fileName = segments[segments.length - 1];
        for (String segment : segments) {
            if (segment.equals("__MACOSX")) {
                return true;
            }
        }
        return fileName.startsWith("._") || JUNK_FILES.contains(fileName.toLowerCase(Locale.ROOT));
    }

    /** The layout of these file names (junk already left out). */
    static ArchiveLayout of(Collection<String> files) {
        String top = commonTopFolder(files);
        String manifestInTop = top == null ? null : top + "/" + MANIFEST;
        boolean stripTop = top != null && (files.contains(manifestInTop)
                || files.stream().allMatch(name -> name.split("/").length >= 3));
        String topFolder = stripTop ? top : null;
        String manifest = topFolder == null ? MANIFEST : manifestInTop;
        return new ArchiveLayout(topFolder, files.contains(manifest) ? manifest : null);
    }

    /** The first folder every file shares, unless it is a split folder (then there is no top folder). */
    private static String commonTopFolder(Collection<String> files) {
        String top = null;
        for (String name : files) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                return null;
            }
            String first = name.substring(0, slash);
            if (top == null) {
                top = first;
            } else if (!top.equals(first)) {
                return null;
            }
        }
        return top == null || ImageSplit.named(top).isPresent() ? null : top;
    }

    /** The manifest's entry name, when the archive has one. */
    Optional<String> manifest() {
        return Optional.ofNullable(manifestPath);
    }

    /** The name relative to the top folder (or the archive root): what the manifest's {@code file} holds. */
    String relative(String name) {
        return topFolder == null ? name : name.substring(topFolder.length() + 1);
    }

    /** The label (and split) the folders give this file; empty when it does not sit in a class folder. */
    Optional<FolderLabel> folderLabel(String name) {
        List<String> segments = List.of(relative(name).split("/"));
        if (segments.size() == 2) {
            return Optional.of(new FolderLabel(segments.get(0), null));
        }
        if (segments.size() == 3) {
            return ImageSplit.named(segments.get(0)).map(split -> new FolderLabel(segments.get(1), split));
        }
        return Optional.empty();
    }

    /** The split folder the file sits in, for a manifest without a {@code split} column. */
    Optional<ImageSplit> folderSplit(String name) {
        String[] segments = relative(name).split("/");
        return segments.length >= 2 ? ImageSplit.named(segments[0]) : Optional.empty();
    }
}

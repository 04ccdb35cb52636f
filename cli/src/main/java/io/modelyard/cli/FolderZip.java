package io.modelyard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder as a zip, the way an image dataset is uploaded: one entry per regular file, named by its path relative
 * to the folder with {@code /} separators ({@code cats/1.png}, {@code train/dogs/2.jpg}, {@code labels.csv}), in
 * sorted order; no entries for folders.
 *
 * <ul>
 *   <li>Hidden files and folders (a name starting with {@code .}: {@code .DS_Store}, {@code .git/}) are skipped,
 *       and a hidden folder is not even looked into.</li>
 *   <li>Symbolic links are never followed: a link anywhere under the folder is {@linkplain Refused refused},
 *       naming it, rather than skipped, so that no image a person meant to upload silently goes missing (the
 *       service itself refuses links inside a zip). The folder named on the command line may itself be a link;
 *       nothing below it may. Files are also opened with {@link LinkOption#NOFOLLOW_LINKS}, so a file swapped for
 *       a link after the listing is refused too. Anything else that is not a regular file (a pipe, a device) is
 *       refused the same way.</li>
 * </ul>
 */
final class FolderZip {

    /** A file to zip: its entry name and where it is. */
    record Entry(String name, Path path, long size) {
    }

    /** The folder cannot be zipped as it is; the message names the offending path. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final Path root;
    private final List<Entry> entries;

    private FolderZip(Path root, List<Entry> entries) {
        this.root = root;
        this.entries = entries;
    }

    /** Lists what {@code dir} will hold in the zip; refuses links, special files and a folder with no files. */
    static FolderZip of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new Refused("not a folder: " + dir);
        }
        List<Entry> entries = new ArrayList<>();
        try {
            collect(dir, dir, entries);
        } catch (IOException e) {
            throw new Refused("cannot read " + dir + ": " + e);
        }
        if (entries.isEmpty()) {
            throw new Refused("no files to upload in " + dir + " (hidden files are skipped)");
        }
        entries.sort(Comparator.comparing(Entry::name));
        return new FolderZip(dir, List.copyOf(entries));
    }

    List<Entry> entries() {
        return entries;
    }

    /** The bytes of every file to zip (the zip itself is a little larger, or smaller where they compress). */
    long totalBytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    /** Writes the zip to {@code out} (left open), telling {@code progress} each file byte read. */
    void write(OutputStream out, LongConsumer progress) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out); // entry names in UTF-8, flagged as such
        // Images are compressed already: the fastest level gains nearly as much (on BMPs, manifests) at a fraction
        // of the time.
        zip.setLevel(Deflater.BEST_SPEED);
        byte[] buffer = new byte[64 * 1024];
        for (Entry entry : entries) {
            ZipEntry zipEntry = new ZipEntry(entry.name());
            zipEntry.setTime(Files.getLastModifiedTime(entry.path(), LinkOption.NOFOLLOW_LINKS).toMillis());
            zip.putNextEntry(zipEntry);
            try (InputStream in = open(entry)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    zip.write(buffer, 0, n);
                    progress.accept(n);
                }
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private InputStream open(Entry entry) throws IOException {
        try {
            return Files.newInputStream(entry.path(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (Files.isSymbolicLink(entry.path())) {
                throw link(root, entry.path());
            }
            throw e;
        }
    }

    private static void collect(Path root, Path dir, List<Entry> entries) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        for (Path child : children) {
            if (child.getFileName().toString().startsWith(".")) {
                continue;
            }
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw link(root, child);
            } else if (attributes.isDirectory()) {
                collect(root, child, entries);
            } else if (attributes.isRegularFile()) {
                entries.add(new Entry(name(root, child), child, attributes.size()));
            } else {
                throw new Refused(name(root, child) + " in " + root + " is not a regular file (a pipe, a socket or"
                        + " a device): remove it, or upload a copy of the folder without it");
            }
        }
    }

    private static Refused link(Path root, Path link) {
        String target;
        try {
            target = " (to " + Files.readSymbolicLink(link) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            target = "";
        }
        return new Refused(name(root, link) + " in " + root + " is a symbolic link" + target
                + "; links are never followed: replace it with a copy of what it points to, or remove it");
    }

    /** The path relative to the folder, with '/' between names whatever the platform's separator. */
    static String name(Path root, Path file) {
        Path relative = root.relativize(file);
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }
}

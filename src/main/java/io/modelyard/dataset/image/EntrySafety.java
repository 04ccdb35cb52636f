package io.modelyard.dataset.image;

import io.modelyard.dataset.problem.DatasetProblem;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The refusals that protect the platform rather than the dataset: paths that would land outside a folder if
 * anyone ever extracted the archive, links, encryption, and archives hidden inside the archive (which would
 * dodge every limit here).
 */
final class EntrySafety {

    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*");
    private static final Set<String> ARCHIVE_EXTENSIONS = Set.of("zip", "jar", "war", "ear", "apk", "gz", "tgz",
            "bz2", "tbz2", "xz", "txz", "zst", "7z", "rar", "tar", "cab", "iso", "lz", "lzma", "z");

    private EntrySafety() {
    }

    /** Refuses what the central directory alone shows: the path, links, encryption, the compression. */
    static void checkRecord(CentralDirectory.Entry entry) {
        String name = entry.name();
        if (name.indexOf('\0') >= 0) {
            throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(name, "The entry name '" + name
                    + "' contains a NUL character.");
        }
        // Windows tools write backslashes; an extractor on Windows treats them as separators.
        String path = name.replace('\\', '/');
        if (path.startsWith("/") || DRIVE_LETTER.matcher(path).matches()) {
            throw DatasetProblem.ARCHIVE_ABSOLUTE_PATH.inEntry(name, "The entry '" + name
                    + "' has an absolute path; entries must be relative to the archive's root.");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw DatasetProblem.ARCHIVE_PATH_TRAVERSAL.inEntry(name, "The entry '" + name
                        + "' climbs out of the archive with '..'.");
            }
        }
        if (entry.symlink()) {
            throw DatasetProblem.ARCHIVE_SYMLINK.inEntry(name, "The entry '" + name
                    + "' is a symbolic link; the archive must hold the files themselves.");
        }
        if (entry.encrypted()) {
            throw DatasetProblem.ENCRYPTED_ARCHIVE_ENTRY.inEntry(name, "The entry '" + name
                    + "' is encrypted; upload the archive without a password.");
        }
        if (entry.method() != STORED && entry.method() != DEFLATED) {
            throw DatasetProblem.UNSUPPORTED_ARCHIVE_COMPRESSION.inEntry(name, "The entry '" + name
                    + "' uses compression method " + entry.method() + "; only stored and deflated entries are read.");
        }
    }

    /** Refuses an entry named like an archive, before a byte of it is inflated. */
    static void checkNotNamedLikeArchive(String name) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0 && ARCHIVE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            throw nested(name);
        }
    }

    /** Refuses an entry whose bytes start like an archive, whatever its name. */
    static void checkNotAnArchive(String name, byte[] head) {
        if (startsWith(head, 0, 'P', 'K', 3, 4) || startsWith(head, 0, 'P', 'K', 5, 6)
                || startsWith(head, 0, 0x1F, 0x8B) // gzip
                || startsWith(head, 0, 'B', 'Z', 'h')
                || startsWith(head, 0, 0xFD, '7', 'z', 'X', 'Z', 0)
                || startsWith(head, 0, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)
                || startsWith(head, 0, 'R', 'a', 'r', '!', 0x1A, 0x07)
                || startsWith(head, 0, 0x28, 0xB5, 0x2F, 0xFD) // zstd
                || startsWith(head, 257, 'u', 's', 't', 'a', 'r')) {
            throw nested(name);
        }
    }

    private static RuntimeException nested(String name) {
        return DatasetProblem.NESTED_ARCHIVE.inEntry(name, "The entry '" + name
                + "' is itself an archive; put its images in the uploaded archive directly.");
    }

    private static boolean startsWith(byte[] data, int offset, int... prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[offset + i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.modelyard.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory; the key is the relative path. A write goes to a temporary file in
 * {@code <root>/.tmp} (same file system), is flushed to disk, then renamed atomically into place, so a reader
 * never sees half a blob and a crash leaves at most a temporary file that {@link #abortIncompleteWrites}
 * removes.
 */
public final class FileSystemBlobStore implements BlobStore {

    static final String TMP_DIR = ".tmp";
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final Path tmp;
    private final boolean fsync;

    /**
     * @param fsync force content and directory entries to disk on commit (durable across power loss; turn
     *              off only for throwaway data such as tests)
     */
    public FileSystemBlobStore(Path root, boolean fsync) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP_DIR);
        this.fsync = fsync;
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot create blob directory " + tmp, e);
        }
    }

    public FileSystemBlobStore(Path root) {
        this(root, true);
    }

    public Path root() {
        return root;
    }

    /** The file that holds {@code key}; for tests and diagnostics. */
    public Path pathOf(String key) {
        return root.resolve(BlobKeys.check(key));
    }

    @Override
    public BlobWriter openWriter(String key, long maxBytes) {
        return openWriter(key, maxBytes, true);
    }

    @Override
    public BlobWriter openWriterWithoutDigest(String key, long maxBytes) {
        return openWriter(key, maxBytes, false);
    }

    private BlobWriter openWriter(String key, long maxBytes, boolean hashed) {
        Path target = pathOf(key);
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new FileWriter(key, maxBytes, hashed, target, temp, channel);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot open a write for blob " + key, e);
        }
    }

    @Override
    public InputStream open(String key, String expectedSha256) {
        Path path = pathOf(key);
        try {
            return VerifyingInputStream.wrap(Files.newInputStream(path), key, expectedSha256);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot read blob " + key, e);
        }
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        Path path = pathOf(key);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(from);
            InputStream in = java.nio.channels.Channels.newInputStream(channel);
            return to < 0 ? in : new BoundedInputStream(in, Math.max(0, to - from));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new BlobStoreException("Cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobEntry> stat(String key) {
        Path path = pathOf(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobEntry(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException("Cannot stat blob " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        try {
            Files.deleteIfExists(path);
            pruneEmptyParents(path.getParent());
        } catch (IOException e) {
            throw new BlobStoreException("Cannot delete blob " + key, e);
        }
    }

    @Override
    public long deleteByPrefix(String prefix) {
        List<String> keys;
        try (Stream<BlobEntry> entries = list(prefix)) {
            keys = entries.map(BlobEntry::key).collect(Collectors.toList());
        }
        for (String key : keys) {
            delete(key);
        }
        return keys.size();
    }

    @Override
    public Stream<BlobEntry> list(String prefix) {
        BlobKeys.checkPrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        try {
            return Files.walk(start)
                    .filter(path -> !path.startsWith(tmp))
                    .map(this::entryOrNull)
                    .filter(entry -> entry != null && entry.key().startsWith(prefix));
        } catch (IOException e) {
            throw new BlobStoreException("Cannot list blobs under " + prefix, e);
        }
    }

    @Override
    public int abortIncompleteWrites(Instant startedBefore) {
        int removed = 0;
        try (Stream<Path> parts = Files.list(tmp)) {
            for (Path part : (Iterable<Path>) parts::iterator) {
                try {
                    if (Files.getLastModifiedTime(part).toInstant().isBefore(startedBefore)
                            && Files.deleteIfExists(part)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // committed or removed concurrently
                }
            }
        } catch (IOException e) {
            throw new BlobStoreException("Cannot sweep " + tmp, e);
        }
        return removed;
    }

    private BlobEntry entryOrNull(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return null;
            }
            String key = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            return new BlobEntry(key, attributes.size(), attributes.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            return null; // deleted while listing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empty key directories would pile up per tenant and dataset; remove them up to the root. */
    private void pruneEmptyParents(Path dir) throws IOException {
        while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
            dir = dir.getParent();
        }
    }

    private final class FileWriter extends BlobWriter {

        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream out;

        FileWriter(String key, long maxBytes, boolean hashed, Path target, Path temp, FileChannel channel) {
            super(key, maxBytes, hashed);
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), BUFFER);
        }

        @Override
        protected void writeContent(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        protected void commitContent() throws IOException {
            out.flush();
            if (fsync) {
                channel.force(true);
            }
            channel.close();
            // A concurrent delete may prune the parent directory between creating and moving: retry.
            for (int attempt = 1; ; attempt++) {
                Files.createDirectories(target.getParent());
                try {
                    move();
                    break;
                } catch (NoSuchFileException e) {
                    if (attempt == 3 || !Files.exists(temp)) {
                        throw e;
                    }
                }
            }
            if (fsync) {
                forceDirectory(target.getParent());
            }
        }

        private void move() throws IOException {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The blob directory must be on one file system that supports atomic rename", e);
            }
        }

        @Override
        protected void abortContent() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the temp file is removed below either way
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // left for abortIncompleteWrites
            }
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename durable; not every platform can open a directory, which is fine to skip.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}

package io.modelyard.dataset.ingest;

import io.modelyard.common.ProblemException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local disk that tabular ingests may use for their candidate file, with a budget shared by every ingest of
 * the process: an ingest that would pass it is refused with 503 and Retry-After (nothing kept), before the disk of
 * the pod fills. On Kubernetes the directory is a sized scratch volume and the budget a little below its size.
 */
public final class ScratchSpace {

    private final Path directory;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    /** @param maxBytes the budget; {@code Long.MAX_VALUE} for none */
    public ScratchSpace(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    public static ScratchSpace unbounded(Path directory) {
        return new ScratchSpace(directory, Long.MAX_VALUE);
    }

    /** Bytes the running ingests hold now. */
    public long used() {
        return used.get();
    }

    /** A new candidate file; closing the returned file's stream does not release its bytes, {@link File#close} does. */
    File create() throws IOException {
        return new File(Files.createTempFile(directory, "modelyard-candidate-", ".csv"));
    }

    /** A candidate file and the bytes it holds of the budget. */
    final class File implements AutoCloseable {

        final Path path;
        private long held;

        private File(Path path) {
            this.path = path;
        }

        OutputStream output() throws IOException {
            return new FilterOutputStream(Files.newOutputStream(path)) {
                @Override
                public void write(int b) throws IOException {
                    take(1);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    take(len);
                    out.write(b, off, len);
                }
            };
        }

        private void take(long bytes) {
            if (used.addAndGet(bytes) > maxBytes) {
                used.addAndGet(-bytes);
                throw full();
            }
            held += bytes;
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(path);
            } finally {
                used.addAndGet(-held);
                held = 0;
            }
        }
    }

    private static ProblemException full() {
        return new ProblemException(503, "scratch-space-full", "Service unavailable", "This server's scratch space "
                + "for processing tabular datasets is in use by other uploads; nothing was kept. Try again shortly.")
                .withHeader("Retry-After", "30");
    }
}

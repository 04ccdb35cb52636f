package io.modelyard.dataset.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what is written to a background thread that writes it to {@code target}, so hashing and storing a
 * blob (SHA-256, file or S3 I/O) overlap with parsing on another core. At most {@value #IN_FLIGHT} buffers of
 * {@value #BUFFER} bytes are in flight, so memory stays bounded and a slow target slows the writer down. A
 * failure of the target (including a {@link io.modelyard.storage.BlobTooLargeException}) is rethrown, as
 * is, to the writer on its next call.
 *
 * <p>{@link #finish()} waits until everything is written; {@link #cancel()} stops without writing the rest.
 * Neither closes {@code target}.
 */
final class AsyncOutputStream extends OutputStream {

    static final int BUFFER = 256 * 1024;
    static final int IN_FLIGHT = 3;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final OutputStream target;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean cancelled;
    private byte[] current;
    private int pos;
    private boolean finished;

    AsyncOutputStream(OutputStream target, String name) {
        this.target = target;
        for (int i = 0; i < IN_FLIGHT + 1; i++) {
            free.add(new byte[BUFFER]);
        }
        this.current = free.poll();
        this.thread = new Thread(this::drain, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void write(int b) throws IOException {
        if (pos == BUFFER) {
            handOff();
        }
        current[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == BUFFER) {
                handOff();
            }
            int n = Math.min(len, BUFFER - pos);
            System.arraycopy(b, off, current, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Nothing to do: bytes are written in the background; {@link #finish()} waits for them. */
    @Override
    public void flush() throws IOException {
        rethrow();
    }

    /** Writes what is buffered and waits until the target has everything. */
    void finish() throws IOException {
        if (finished) {
            rethrow();
            return;
        }
        finished = true;
        if (pos > 0) {
            handOff();
        }
        enqueue(END);
        join();
        rethrow();
    }

    /** Stops the background thread without writing what is left. */
    void cancel() {
        cancelled = true;
        finished = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void handOff() throws IOException {
        rethrow();
        enqueue(new Chunk(current, pos));
        try {
            current = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
        pos = 0;
        rethrow();
    }

    private void enqueue(Chunk chunk) throws IOException {
        try {
            full.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }

    private void drain() {
        try {
            while (!cancelled) {
                Chunk chunk = full.take();
                if (chunk == END) {
                    return;
                }
                target.write(chunk.bytes(), 0, chunk.length());
                free.put(chunk.bytes());
            }
        } catch (InterruptedException e) {
            // cancelled
        } catch (Throwable t) {
            failure = t;
            // Keep the writer from blocking forever on a full queue: hand every buffer back.
            free.clear();
            for (int i = 0; i < IN_FLIGHT + 1; i++) {
                free.offer(new byte[0]);
            }
            full.clear();
        }
    }

    private record Chunk(byte[] bytes, int length) {
    }

    private void join() throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing a write");
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IOException(t);
    }
}

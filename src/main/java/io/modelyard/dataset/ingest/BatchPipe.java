package io.modelyard.dataset.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands filled {@link RowBatch}es from the reading thread to one consumer thread, and empty ones back. A few
 * batches circulate, so memory is bounded and a slow consumer slows the reader. A consumer failure reaches
 * the reader on its next hand-off; {@link #close()} without {@link #finish()} stops the consumer.
 */
final class BatchPipe implements AutoCloseable {

    /** What the consumer thread does with each batch; the batch is cleared afterwards. */
    interface Sink {
        void accept(RowBatch batch) throws IOException;
    }

    private static final int BATCHES = 4;
    private static final long POLL_MS = 100;

    private final BlockingQueue<RowBatch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<RowBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private final RowBatch end = new RowBatch(0);
    private final Sink sink;
    private final Thread consumer;
    private volatile Throwable failure;
    private RowBatch current;
    private boolean finished;

    BatchPipe(int columns, Sink sink, String threadName) {
        for (int i = 0; i < BATCHES; i++) {
            free.add(new RowBatch(columns));
        }
        this.current = free.poll();
        this.sink = sink;
        this.consumer = new Thread(this::consume, threadName);
        this.consumer.setDaemon(true);
        this.consumer.start();
    }

    /** The batch the reader fills. */
    RowBatch current() {
        return current;
    }

    /** Gives the current batch to the consumer (unless empty) and takes an empty one. */
    void handOff() throws IOException {
        rethrow();
        if (current.count == 0) {
            return;
        }
        put(current);
        try {
            RowBatch next;
            while ((next = free.poll(POLL_MS, TimeUnit.MILLISECONDS)) == null) {
                rethrow(); // a failed consumer hands no batch back
            }
            current = next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing rows over");
        }
    }

    /** Hands over the last batch and waits until the consumer has done everything. */
    void finish() throws IOException {
        handOff();
        put(end);
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the rows");
        }
        finished = true;
        rethrow();
    }

    /** Stops the consumer unless {@link #finish()} completed. */
    @Override
    public void close() {
        if (!finished) {
            consumer.interrupt();
            try {
                consumer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(RowBatch batch) throws IOException {
        try {
            while (!full.offer(batch, POLL_MS, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing rows over");
        }
    }

    private void consume() {
        try {
            while (true) {
                RowBatch batch = full.take();
                if (batch == end) {
                    return;
                }
                sink.accept(batch);
                batch.clear();
                free.put(batch);
            }
        } catch (InterruptedException e) {
            // stopped by the reader, which is failing already
        } catch (Throwable t) {
            failure = t;
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

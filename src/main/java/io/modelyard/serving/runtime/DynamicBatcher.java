package io.modelyard.serving.runtime;

import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Dynamic batching for one model: concurrent requests queue here, and each of a few batch threads (one per
 * engine predictor) takes what is queued, up to {@code maxBatchSize} rows, waiting at most {@code maxWaitNanos}
 * after the first for more, and runs it as one forward pass. Every request gets exactly its own rows back, in
 * order. One bad input must not fail its neighbours: when a combined pass rejects an input, each request of
 * the batch runs again on its own, so the error names the right request and row.
 */
final class DynamicBatcher implements AutoCloseable {

    private final LoadedModel model;
    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean closed;

    private static final class Pending {
        final List<PredictionInput> inputs;
        final CompletableFuture<List<Prediction>> answer = new CompletableFuture<>();

        Pending(List<PredictionInput> inputs) {
            this.inputs = inputs;
        }
    }

    /**
     * @param threads    batch threads: how many forward passes of this model may run at once
     * @param batchSizes told the rows of every forward pass (metrics)
     */
    DynamicBatcher(LoadedModel model, String name, int maxBatchSize, long maxWaitNanos, int threads,
            IntConsumer batchSizes) {
        this.model = model;
        this.maxBatchSize = Math.max(1, maxBatchSize);
        this.maxWaitNanos = Math.max(0, maxWaitNanos);
        this.batchSizes = batchSizes;
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread thread = new Thread(this::drain, "batch-" + name + "-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    /** Predicts {@code inputs} as part of whatever batch they join; blocks until their answers are in. */
    List<Prediction> predict(List<PredictionInput> inputs) {
        Pending pending = new Pending(inputs);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model was unloaded");
            }
            queue.addLast(pending);
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            return pending.answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a prediction", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void drain() {
        while (true) {
            List<Pending> batch = next();
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** The next batch, or null once closed and empty. */
    private List<Pending> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                queued.awaitUninterruptibly();
            }
            List<Pending> batch = new ArrayList<>();
            Pending first = queue.pollFirst();
            batch.add(first);
            int rows = first.inputs.size();
            long deadline = System.nanoTime() + maxWaitNanos;
            while (rows < maxBatchSize) {
                Pending next = queue.peekFirst();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed) {
                        break;
                    }
                    try {
                        queued.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    continue;
                }
                if (rows + next.inputs.size() > maxBatchSize) {
                    break;
                }
                queue.pollFirst();
                batch.add(next);
                rows += next.inputs.size();
            }
            if (!queue.isEmpty()) {
                // Another batch thread may start on the rest while this one runs.
                queued.signal();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending> batch) {
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        List<PredictionInput> all = new ArrayList<>();
        for (Pending pending : batch) {
            all.addAll(pending.inputs);
        }
        List<Prediction> answers;
        try {
            batchSizes.accept(all.size());
            answers = model.predict(all);
        } catch (InvalidInputException e) {
            batch.forEach(this::runAlone);
            return;
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.answer.completeExceptionally(e));
            return;
        }
        int from = 0;
        for (Pending pending : batch) {
            int to = from + pending.inputs.size();
            pending.answer.complete(List.copyOf(answers.subList(from, to)));
            from = to;
        }
    }

    private void runAlone(Pending pending) {
        try {
            batchSizes.accept(pending.inputs.size());
            pending.answer.complete(model.predict(pending.inputs));
        } catch (RuntimeException | Error e) {
            pending.answer.completeExceptionally(e);
        }
    }

    /** Stops the batch threads once the queue is empty. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

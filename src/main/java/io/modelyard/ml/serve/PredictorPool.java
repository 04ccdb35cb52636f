package io.modelyard.ml.serve;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.modelyard.ml.EncodedRows;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A fixed set of DJL predictors for one model (a predictor is not thread-safe): a caller borrows one for a
 * forward pass and gives it back; callers beyond the pool's size wait. Closing waits for passes in flight.
 */
final class PredictorPool implements AutoCloseable {

    private final List<Predictor<EncodedRows, float[]>> all = new ArrayList<>();
    private final BlockingQueue<Predictor<EncodedRows, float[]>> idle;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    PredictorPool(Model model, RowsTranslator translator, int size) {
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Predictor<EncodedRows, float[]> predictor = model.newPredictor(translator);
            all.add(predictor);
            idle.add(predictor);
        }
    }

    float[] predict(EncodedRows rows) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model was closed");
            }
            Predictor<EncodedRows, float[]> predictor = idle.take();
            try {
                return predictor.predict(rows);
            } finally {
                idle.add(predictor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a predictor", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("prediction failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    int size() {
        return all.size();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                all.forEach(Predictor::close);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}

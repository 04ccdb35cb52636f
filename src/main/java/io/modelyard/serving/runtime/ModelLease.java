package io.modelyard.serving.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to use a cached model until closed: an evicted model is closed only when its last lease is returned,
 * so a request never finds its model closed under it.
 */
final class ModelLease implements AutoCloseable {

    private final ModelCache cache;
    private final ModelCache.Entry entry;
    private final ServedModel model;
    private final AtomicBoolean returned = new AtomicBoolean();

    ModelLease(ModelCache cache, ModelCache.Entry entry, ServedModel model) {
        this.cache = cache;
        this.entry = entry;
        this.model = model;
    }

    ServedModel model() {
        return model;
    }

    @Override
    public void close() {
        if (returned.compareAndSet(false, true)) {
            cache.release(entry);
        }
    }
}

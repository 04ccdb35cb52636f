package io.modelyard.serving.runtime;

import io.modelyard.common.ProblemException;
import io.modelyard.serving.ModelRef;
import io.modelyard.storage.BlobNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The loaded models of this process, bounded in bytes, least recently used unloaded first.
 *
 * <ul>
 * <li>Single flight: the first request for a cold model starts one load on the loader threads; every concurrent
 * request for it waits on that same load.</li>
 * <li>Waiting is bounded: a request that cannot wait any longer gets 503 {@code model-loading} with Retry-After
 * while the load goes on for the next one.</li>
 * <li>A failed load is not cached: the next request tries again.</li>
 * <li>Eviction happens when a load completes and the total passes the bound; the model is closed when its last
 * {@link ModelLease} is returned. A model bigger than the bound on its own still serves, alone.</li>
 * </ul>
 */
final class ModelCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    /** What the cache reports, for metrics. */
    interface Listener {
        void loaded(ModelRef model, long bytes, long nanos);

        void loadFailed(ModelRef model, Throwable failure);

        void evicted(ModelRef model, long bytes);

        /** A request for the model found it loaded ({@code hit}) or had to wait for or start a load. */
        default void looked(ModelRef model, boolean hit) {
        }
    }

    static final class Entry {
        final ModelRef ref;
        final CompletableFuture<ServedModel> loading = new CompletableFuture<>();
        final AtomicInteger leases = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean evicted;
        volatile long lastUsed = System.nanoTime();
        long bytes;

        Entry(ModelRef ref) {
            this.ref = ref;
        }

        boolean isLoaded() {
            return loading.isDone() && !loading.isCompletedExceptionally();
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final Function<ModelRef, ServedModel> loader;
    private final Executor loaders;
    private final Listener listener;
    private final long retryAfterSeconds;
    private long totalBytes;

    ModelCache(long maxBytes, Function<ModelRef, ServedModel> loader, Executor loaders, Listener listener,
            Duration retryAfter) {
        this.maxBytes = maxBytes;
        this.loader = loader;
        this.loaders = loaders;
        this.listener = listener;
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /**
     * Leases the model, loading it if needed and waiting for the load at most {@code wait}.
     *
     * @throws ProblemException 503 {@code model-loading} (with Retry-After) when it is still loading after
     *         {@code wait}; 404 when its artifact is gone; 500 {@code model-load-failed} when it cannot be loaded
     */
    ModelLease acquire(ModelRef ref, Duration wait) {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        listener.looked(ref, isLoaded(ref));
        while (true) {
            boolean loadedOnArrival = isLoaded(ref);
            Entry entry = entryFor(ref);
            if (wait.isZero() && !loadedOnArrival) {
                // Decided on arrival: a caller that will not wait is not served by a load that won a race.
                throw stillLoading(ref);
            }
            ServedModel model = await(entry, deadline);
            entry.leases.incrementAndGet();
            if (entry.evicted) {
                // Evicted between the lookup and the lease: return it and take (or load) the current one.
                release(entry);
                continue;
            }
            entry.lastUsed = System.nanoTime();
            return new ModelLease(this, entry, model);
        }
    }

    /** Starts loading the model unless it is loaded or loading; answers whether it is loaded now. */
    boolean loadedOrStartLoading(ModelRef ref) {
        boolean loaded = isLoaded(ref);
        entryFor(ref);
        return loaded;
    }

    boolean isLoaded(ModelRef ref) {
        Entry entry = entries.get(ref.cacheKey());
        return entry != null && entry.isLoaded() && !entry.evicted;
    }

    synchronized long bytes() {
        return totalBytes;
    }

    int loadedModels() {
        return (int) entries.values().stream().filter(Entry::isLoaded).count();
    }

    long maxBytes() {
        return maxBytes;
    }

    private Entry entryFor(ModelRef ref) {
        String key = ref.cacheKey();
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry;
        }
        Entry fresh = new Entry(ref);
        entry = entries.putIfAbsent(key, fresh);
        if (entry != null) {
            return entry;
        }
        loaders.execute(() -> load(fresh));
        return fresh;
    }

    private void load(Entry entry) {
        long started = System.nanoTime();
        ServedModel model;
        try {
            model = loader.apply(entry.ref);
        } catch (Throwable e) {
            entries.remove(entry.ref.cacheKey(), entry);
            if (!(e instanceof BlobNotFoundException)) {
                LOG.errorf(e, "Could not load model %s (artifact %s)", entry.ref.id(), entry.ref.artifactKey());
            }
            listener.loadFailed(entry.ref, e);
            entry.loading.completeExceptionally(e);
            return;
        }
        long bytes = model.sizeBytes();
        synchronized (this) {
            entry.bytes = bytes;
            totalBytes += bytes;
            entry.lastUsed = System.nanoTime();
            // Make room before anyone uses the new model, so the bound holds whenever a request sees it.
            evictBeyondBound(entry);
            listener.loaded(entry.ref, bytes, System.nanoTime() - started);
            entry.loading.complete(model);
        }
    }

    /** Unloads every loaded model of {@code tenantId} (the tenant is being erased); returns how many. */
    synchronized int evictTenant(String tenantId) {
        int evicted = 0;
        for (Entry entry : List.copyOf(entries.values())) {
            if (tenantId.equals(entry.ref.tenantId()) && entry.isLoaded() && !entry.evicted) {
                evict(entry);
                evicted++;
            }
        }
        return evicted;
    }

    /** Unloads least recently used models until the bound holds, never {@code keep} (the one just loaded). */
    private void evictBeyondBound(Entry keep) {
        while (totalBytes > maxBytes) {
            Entry victim = null;
            for (Entry candidate : entries.values()) {
                if (candidate != keep && candidate.isLoaded() && !candidate.evicted
                        && (victim == null || candidate.lastUsed < victim.lastUsed)) {
                    victim = candidate;
                }
            }
            if (victim == null) {
                if (keep.bytes > maxBytes) {
                    LOG.warnf("Model %s needs %d bytes, more than the whole cache (%d): it is served alone",
                            keep.ref.id(), keep.bytes, maxBytes);
                }
                return;
            }
            evict(victim);
        }
    }

    private void evict(Entry victim) {
        victim.evicted = true;
        entries.remove(victim.ref.cacheKey(), victim);
        totalBytes -= victim.bytes;
        listener.evicted(victim.ref, victim.bytes);
        if (victim.leases.get() == 0) {
            closeEntry(victim);
        }
    }

    void release(Entry entry) {
        if (entry.leases.decrementAndGet() == 0 && entry.evicted) {
            closeEntry(entry);
        }
    }

    private static void closeEntry(Entry entry) {
        if (entry.isLoaded() && entry.closed.compareAndSet(false, true)) {
            try {
                entry.loading.join().close();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Closing model %s failed", entry.ref.id());
            }
        }
    }

    private ServedModel await(Entry entry, long deadline) {
        try {
            if (!entry.loading.isDone()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw stillLoading(entry.ref);
                }
                return entry.loading.get(remaining, TimeUnit.NANOSECONDS);
            }
            return entry.loading.get();
        } catch (TimeoutException e) {
            throw stillLoading(entry.ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stillLoading(entry.ref);
        } catch (ExecutionException e) {
            throw loadFailure(entry.ref, e.getCause());
        }
    }

    private ProblemException stillLoading(ModelRef ref) {
        return new ProblemException(503, "model-loading", "Model loading",
                "Model " + ref.id() + " is being loaded; retry in a moment.")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    private static ProblemException loadFailure(ModelRef ref, Throwable cause) {
        if (cause instanceof BlobNotFoundException) {
            return ProblemException.notFound("model", ref.id());
        }
        return new ProblemException(500, "model-load-failed", "Internal error",
                "Model " + ref.id() + " could not be loaded. Quote the request_id when you contact support.");
    }

    /** Unloads everything (shutdown). */
    @Override
    public synchronized void close() {
        for (Entry entry : List.copyOf(entries.values())) {
            if (entry.isLoaded() && !entry.evicted) {
                evict(entry);
            }
        }
    }
}

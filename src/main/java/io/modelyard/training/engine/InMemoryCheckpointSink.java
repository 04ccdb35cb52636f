package io.modelyard.training.engine;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps the latest checkpoint in memory and counts the saves. */
public final class InMemoryCheckpointSink implements CheckpointSink {

    private final AtomicReference<Checkpoint> latest = new AtomicReference<>();
    private final AtomicInteger saves = new AtomicInteger();

    @Override
    public void save(Checkpoint checkpoint) {
        latest.set(checkpoint);
        saves.incrementAndGet();
    }

    @Override
    public Optional<Checkpoint> latest() {
        return Optional.ofNullable(latest.get());
    }

    public int saves() {
        return saves.get();
    }
}

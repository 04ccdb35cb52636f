package io.modelyard.training.engine;

import java.util.Optional;

/**
 * Where a run keeps its checkpoints. The trainer saves one at every epoch end, every
 * {@code checkpoint_every_steps} steps and when asked to stop for preemption; it reads {@link #latest()} once at
 * the start and resumes from it when present. Only the latest one is ever read, so an implementation may keep
 * just that one.
 */
public interface CheckpointSink {

    /**
     * Stores a checkpoint. It may be written in the background while training goes on: it is durable once a later
     * {@link #flush()} returns. A failure to store it aborts the run, at the latest at the next save or flush.
     */
    void save(Checkpoint checkpoint);

    /**
     * Returns once every checkpoint saved before is stored; throws if one could not be. The trainer flushes before
     * it stops for preemption (its job resumes from that checkpoint) and before it returns or fails.
     */
    default void flush() {
    }

    /** The last checkpoint saved for this run, if any. */
    Optional<Checkpoint> latest();

    /** A sink keeping the latest checkpoint in memory (tests, and runs where resuming is not wanted). */
    static CheckpointSink inMemory() {
        return new InMemoryCheckpointSink();
    }
}

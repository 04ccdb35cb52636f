package io.modelyard.training.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a run keeps its checkpoints. The trainer saves one at an epoch end once {@link #epochInterval()} has
 * passed since the last (and after the last epoch), every {@code checkpoint_every_steps} steps, and when asked to
 * stop for preemption; it reads {@link #latest()} once at the start and resumes from it when present. Only the
 * latest one is ever read, so an implementation may keep just that one.
 */
public interface CheckpointSink {

    /** Stores a checkpoint durably before returning; a failure aborts the run. */
    void save(Checkpoint checkpoint);

    /** The least time between epoch-end checkpoints; zero saves every epoch. */
    default Duration epochInterval() {
        return Duration.ZERO;
    }

    /** The last checkpoint saved for this run, if any. */
    Optional<Checkpoint> latest();

    /** A sink keeping the latest checkpoint in memory (tests, and runs where resuming is not wanted). */
    static CheckpointSink inMemory() {
        return new InMemoryCheckpointSink();
    }
}

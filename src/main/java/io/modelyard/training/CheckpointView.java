package io.modelyard.training;

import java.math.BigDecimal;
import java.time.Instant;

/** A checkpoint of a training job, as clients see it (its content is the trainer's own). */
public record CheckpointView(String id, String object, String trainingJobId, int attempt, int completedEpochs,
        int stepInEpoch, long globalStep, long sizeBytes, String sha256, BigDecimal computeSeconds, String device,
        Instant createdAt) {

    static CheckpointView of(TrainingCheckpoint c) {
        return new CheckpointView(c.id, "training_checkpoint", c.jobId, c.attempt, c.completedEpochs,
                c.stepInEpoch, c.globalStep, c.sizeBytes, c.sha256, c.computeSeconds, c.device, c.createdAt);
    }
}

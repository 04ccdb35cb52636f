package io.modelyard.serving.batch;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** A tenant's own, shorter retention of its batch-prediction results (see {@code lifecycle/RetentionSweeper}). */
@ApplicationScoped
public class BatchResultRetention {

    private final BatchResultSweeper sweeper;

    BatchResultRetention(BatchResultSweeper sweeper) {
        this.sweeper = sweeper;
    }

    /** Deletes the tenant's result files written before {@code before}; returns how many. */
    public int deleteWrittenBefore(String tenantId, Instant before) {
        return sweeper.sweep("tenants/" + tenantId + "/", before);
    }
}

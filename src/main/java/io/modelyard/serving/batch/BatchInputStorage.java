package io.modelyard.serving.batch;

import io.modelyard.dataset.CappedStorage;
import io.modelyard.job.JobService;
import jakarta.enterprise.context.ApplicationScoped;

/** Uploaded batch-prediction inputs count against the storage cap until their job ends and deletes them. */
@ApplicationScoped
class BatchInputStorage implements CappedStorage {

    private final JobService jobs;

    BatchInputStorage(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public long currentTenantBytes() {
        return jobs.sumOfUnfinished(BatchPredictionHandler.TYPE, "input_bytes");
    }
}

package io.modelyard.training;

import io.modelyard.dataset.DatasetUsageGuard;
import io.modelyard.job.JobService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;

/**
 * Keeps a dataset from being deleted under a job that reads it: any unfinished (paused included) job of the tenant
 * whose payload names one of its versions ({@code dataset_version_id}, as training and batch prediction jobs
 * carry).
 */
@ApplicationScoped
class ActiveJobsDatasetGuard implements DatasetUsageGuard {

    private final JobService jobs;

    ActiveJobsDatasetGuard(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<String> activeJobUsing(Collection<String> versionIds) {
        return jobs.unfinishedJobNaming("dataset_version_id", versionIds);
    }
}

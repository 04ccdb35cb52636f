package io.modelyard.dataset;

import java.util.Collection;
import java.util.Optional;

/**
 * Tells whether a job that is not finished (queued, running, cancelling) uses a dataset's versions, so that
 * deleting the dataset can answer 409 instead of pulling its rows from under the job. The job queue implements
 * it (its jobs carry {@code payload.dataset_version_id}): see {@code training.ActiveJobsDatasetGuard}.
 * Called inside the deleting transaction, in the current tenant.
 */
public interface DatasetUsageGuard {

    /** The id of an unfinished job of the current tenant that reads one of {@code versionIds}, if any. */
    Optional<String> activeJobUsing(Collection<String> versionIds);
}

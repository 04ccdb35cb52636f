package io.modelyard.dataset.api;

import io.modelyard.dataset.DatasetUsageGuard;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the job queue, which lives on another branch, as the one {@link DatasetUsageGuard}: a test marks
 * a version as read by a job. With nothing marked it answers like the default guard (no job uses anything).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BusyVersions implements DatasetUsageGuard {

    private static final Map<String, String> JOBS = new ConcurrentHashMap<>();

    static void markUsed(String versionId, String jobId) {
        JOBS.put(versionId, jobId);
    }

    static void release(String versionId) {
        JOBS.remove(versionId);
    }

    @Override
    public Optional<String> activeJobUsing(Collection<String> versionIds) {
        return versionIds.stream().map(JOBS::get).filter(j -> j != null).findFirst();
    }
}

package io.modelyard.training;

import io.modelyard.dataset.DatasetUsageGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a dataset from being deleted under a job that reads it: any unfinished (paused included) job of the tenant
 * whose payload names one of its versions ({@code dataset_version_id}, as training and batch prediction jobs
 * carry).
 */
@ApplicationScoped
class ActiveJobsDatasetGuard implements DatasetUsageGuard {

    private final EntityManager entityManager;

    ActiveJobsDatasetGuard(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<String> activeJobUsing(Collection<String> versionIds) {
        if (versionIds.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager.createNativeQuery("select id from jobs"
                        + " where state in ('queued', 'running', 'cancelling', 'pausing', 'paused')"
                        + " and payload ->> 'dataset_version_id' = any(cast(?1 as text[])) order by id limit 1")
                .setParameter(1, versionIds.toArray(String[]::new))
                .getResultList();
        return ids.stream().findFirst();
    }
}

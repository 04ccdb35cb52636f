package io.modelyard.training;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class TrainingCheckpointRepository implements PanacheRepositoryBase<TrainingCheckpoint, String> {

    Optional<TrainingCheckpoint> latest(String jobId) {
        return find("jobId = ?1 order by globalStep desc", jobId).firstResultOptional();
    }

    List<TrainingCheckpoint> ofJob(String jobId) {
        return list("jobId = ?1 order by globalStep desc", jobId);
    }
}

package io.modelyard.dataset;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;

/** The guard while no job package provides one: no job uses any dataset. */
@DefaultBean
@ApplicationScoped
class NoJobsUsageGuard implements DatasetUsageGuard {

    @Override
    public Optional<String> activeJobUsing(Collection<String> versionIds) {
        return Optional.empty();
    }
}

package io.modelyard.tenant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How long a tenant keeps its datasets, models and batch-prediction results before they are deleted
 * automatically, in days; null keeps them until someone deletes them. Models an alias points at are kept (they
 * are deployed), and so are datasets an unfinished job reads.
 */
public record TenantRetention(@Min(1) @Max(3650) Integer datasetsDays, @Min(1) @Max(3650) Integer modelsDays,
        @Min(1) @Max(3650) Integer batchResultsDays) {

    public boolean any() {
        return datasetsDays != null || modelsDays != null || batchResultsDays != null;
    }
}

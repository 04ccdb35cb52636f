package io.modelyard.dataset;

/**
 * Bytes a feature keeps in the blob store for the current tenant that count against the plan's storage cap,
 * beside datasets and model artifacts (batch-prediction input files, say). Implemented where the bytes live;
 * {@link DatasetStorage} adds them all up.
 */
public interface CappedStorage {

    /** Bytes the current tenant keeps this way now (call inside a transaction). */
    long currentTenantBytes();
}

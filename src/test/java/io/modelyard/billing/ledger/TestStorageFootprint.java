package io.modelyard.billing.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for what datasets and models will report: bytes per tenant, set by the test. */
@ApplicationScoped
public class TestStorageFootprint implements StorageFootprint {

    private final Map<String, Long> bytes = new ConcurrentHashMap<>();

    /** Through a method: the test holds a client proxy, whose fields are not the bean's. */
    void store(String tenantId, long stored) {
        bytes.put(tenantId, stored);
    }

    void clear() {
        bytes.clear();
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return Map.copyOf(bytes);
    }
}

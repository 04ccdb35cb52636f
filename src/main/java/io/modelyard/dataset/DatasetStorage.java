package io.modelyard.dataset;

import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.common.ProblemException;
import io.modelyard.model.ModelRegistry;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes that datasets keep in the blob store, per tenant: for the plan's storage cap (enforced on upload and
 * re-clean) and for metering storage over time. A dataset's bytes are its upload once plus each processed
 * version; they are counted from the rows, which record every blob's size when it is written.
 */
@ApplicationScoped
public class DatasetStorage implements StorageFootprint {

    private final DatasetRepository datasets;
    private final ModelRegistry models;
    private final EntityManager entityManager;
    private final TenantScope tenantScope;
    private final Instance<CappedStorage> others;

    DatasetStorage(DatasetRepository datasets, ModelRegistry models, EntityManager entityManager,
            TenantScope tenantScope, @Any Instance<CappedStorage> others) {
        this.datasets = datasets;
        this.models = models;
        this.entityManager = entityManager;
        this.tenantScope = tenantScope;
        this.others = others;
    }

    /** Bytes the current tenant's datasets take. */
    @Transactional
    public long storedBytes() {
        return datasets.storedBytes();
    }

    /**
     * Bytes every tenant's datasets take, by tenant id (tenants without datasets are absent). Runs as platform
     * maintenance (sees all tenants); for the billing meter that samples storage over time.
     */
    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("dataset-storage", () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select tenant_id, sum(stored_bytes)"
                    + " from datasets group by tenant_id order by tenant_id").getResultList();
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (Object[] row : rows) {
                bytes.put((String) row[0], ((Number) row[1]).longValue());
            }
            return bytes;
        }));
    }

    /**
     * What counts against the storage cap: the current tenant's datasets, model artifacts and the other
     * {@link CappedStorage} (batch-prediction inputs waiting for their job).
     */
    @Transactional
    long usedBytes() {
        long used = datasets.storedBytes() + models.storedBytes();
        for (CappedStorage other : others) {
            used += other.currentTenantBytes();
        }
        return used;
    }

    /** What is left of the current tenant's storage cap, for an upload that is not a dataset. */
    @Transactional
    public long roomLeft(PlanLimits plan) {
        return Math.max(0, plan.storageCapBytes() - usedBytes());
    }

    /**
     * For an upload that is not a dataset: takes the tenant's storage lock for the rest of the transaction and
     * refuses {@code incoming} more bytes that would pass the cap (403 {@code storage-quota-exceeded}), so two
     * uploads at once cannot both squeeze under it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claimRoom(String tenantId, PlanLimits plan, long incoming) {
        datasets.lockTenantStorage(tenantId);
        requireRoom(plan, incoming);
    }

    /** Refuses {@code incoming} more bytes when they would pass the cap; call under the tenant's storage lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    void requireRoom(PlanLimits plan, long incoming) {
        long used = usedBytes();
        if (used + incoming > plan.storageCapBytes()) {
            throw overQuota(plan, used);
        }
    }

    /** 403 {@code storage-quota-exceeded}, naming the plan's cap and what is stored. */
    public static ProblemException overQuota(PlanLimits plan, long used) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("meter", "stored_bytes");
        extensions.put("limit", plan.storageCapBytes());
        extensions.put("stored_bytes", used);
        extensions.put("plan", plan.plan());
        return new ProblemException(403, "storage-quota-exceeded", "Storage quota exceeded",
                "This would take the tenant's stored data past the " + plan.plan() + " plan's storage cap of "
                        + plan.storageCapBytes() + " bytes (" + human(plan.storageCapBytes()) + "); " + used
                        + " bytes are stored now. Delete datasets or models you no longer need, or move to a "
                        + "larger plan. Nothing was kept.", extensions, Map.of());
    }

    /** 413 {@code payload-too-large}, naming the plan's upload limit; also for other uploads (batch inputs). */
    public static ProblemException uploadTooLarge(PlanLimits plan, long declared) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("max_bytes", plan.maxUploadBytes());
        extensions.put("plan", plan.plan());
        String size = declared >= 0 ? "The upload (" + declared + " bytes) is" : "The upload is";
        return new ProblemException(413, "payload-too-large", "Payload too large",
                size + " larger than the " + plan.plan() + " plan's upload limit of " + plan.maxUploadBytes()
                        + " bytes (" + human(plan.maxUploadBytes()) + "); nothing was kept.", extensions, Map.of());
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}

package io.modelyard.storage.encryption;

import io.modelyard.common.NativeQueryValues;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * SQL on {@code tenant_data_keys} (V83). A blob can be read or written anywhere: in a request of another tenant, a
 * job on a worker thread, a platform sweeper. So the per-tenant look-ups run in a short transaction of their own,
 * keyed (for that transaction only) on the tenant the blob belongs to, and row security admits that tenant's row
 * and no other. Destroying and re-wrapping go through the caller's transaction, which must be in operator mode.
 */
@ApplicationScoped
class TenantDataKeyRepository {

    private static final String COLUMNS = "tenant_id, key_id, wrapped_key, master_key_id, destroyed_at";

    private final EntityManager entityManager;

    TenantDataKeyRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The tenant's row, in a transaction of its own. */
    Optional<StoredDataKey> find(String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            keyOnTenant(tenantId);
            return select(tenantId);
        });
    }

    /**
     * Stores {@code candidate} unless the tenant has a row already (a concurrent first write, or a destroyed
     * marker), in a transaction of its own; returns the row that is there afterwards.
     */
    StoredDataKey insertIfAbsent(StoredDataKey candidate) {
        return QuarkusTransaction.requiringNew().call(() -> {
            keyOnTenant(candidate.tenantId());
            entityManager.createNativeQuery("insert into tenant_data_keys (tenant_id, key_id, wrapped_key,"
                            + " master_key_id) values (?1, ?2, ?3, ?4) on conflict (tenant_id) do nothing")
                    .setParameter(1, candidate.tenantId())
                    .setParameter(2, candidate.keyId())
                    .setParameter(3, candidate.wrappedKey())
                    .setParameter(4, candidate.masterKeyId())
                    .executeUpdate();
            return select(candidate.tenantId()).orElseThrow();
        });
    }

    /**
     * Erases the tenant's wrapped key and marks it destroyed; leaves a marker when it had none, so that no key is
     * ever made for it again. Returns whether a live key was destroyed now.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean destroy(String tenantId, long markerKeyId) {
        int destroyed = entityManager.createNativeQuery("update tenant_data_keys set wrapped_key = null,"
                        + " master_key_id = null, destroyed_at = now() where tenant_id = ?1 and destroyed_at is null")
                .setParameter(1, tenantId)
                .executeUpdate();
        if (destroyed == 0) {
            entityManager.createNativeQuery("insert into tenant_data_keys (tenant_id, key_id, destroyed_at)"
                            + " values (?1, ?2, now()) on conflict (tenant_id) do nothing")
                    .setParameter(1, tenantId)
                    .setParameter(2, markerKeyId)
                    .executeUpdate();
        }
        return destroyed > 0;
    }

    /** Live keys wrapped by another master key than {@code masterKeyId}, locked until the caller commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<StoredDataKey> wrappedByOtherThan(String masterKeyId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select " + COLUMNS + " from tenant_data_keys"
                        + " where destroyed_at is null and master_key_id <> ?1 order by tenant_id for update")
                .setParameter(1, masterKeyId)
                .getResultList();
        return rows.stream().map(TenantDataKeyRepository::toKey).toList();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void rewrap(String tenantId, byte[] wrappedKey, String masterKeyId) {
        entityManager.createNativeQuery("update tenant_data_keys set wrapped_key = ?2, master_key_id = ?3"
                        + " where tenant_id = ?1 and destroyed_at is null")
                .setParameter(1, tenantId)
                .setParameter(2, wrappedKey)
                .setParameter(3, masterKeyId)
                .executeUpdate();
    }

    private void keyOnTenant(String tenantId) {
        // Local to this transaction: the session's own setting comes back at commit.
        entityManager.createNativeQuery("select set_config('modelyard.tenant_id', ?1, true)")
                .setParameter(1, tenantId).getSingleResult();
    }

    private Optional<StoredDataKey> select(String tenantId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select " + COLUMNS + " from tenant_data_keys"
                        + " where tenant_id = ?1")
                .setParameter(1, tenantId)
                .getResultList();
        return rows.stream().findFirst().map(TenantDataKeyRepository::toKey);
    }

    private static StoredDataKey toKey(Object[] row) {
        return new StoredDataKey((String) row[0], ((Number) row[1]).longValue(), (byte[]) row[2], (String) row[3],
                NativeQueryValues.instant(row[4]));
    }
}

package io.modelyard.storage.encryption;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantAdministration;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * Re-wraps every live data key with the master key's current primary, without touching a blob: data keys do not
 * change, only what protects them. Once it has run, keys older than the primary can leave the keyset.
 */
@ApplicationScoped
public class MasterKeyRotation {

    private final TenantDataKeyRepository repository;
    private final MasterKey masterKey;
    private final TenantContext context;
    private final TenantAdministration tenants;
    private final AuditLog audit;

    MasterKeyRotation(TenantDataKeyRepository repository, MasterKey masterKey, TenantContext context,
            TenantAdministration tenants, AuditLog audit) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.context = context;
        this.tenants = tenants;
        this.audit = audit;
    }

    /**
     * Re-wraps, in one transaction, each data key that another master key than the current primary wrapped;
     * audited on each tenant. Operator mode only.
     *
     * @return how many data keys were re-wrapped (0 when all were current already)
     */
    @Transactional
    public Result rotate() {
        if (!context.operatorMode()) {
            throw ProblemException.forbidden("operator-only", "Only platform operators may do this.");
        }
        String current = masterKey.currentKeyId();
        int rewrapped = 0;
        for (StoredDataKey key : repository.wrappedByOtherThan(current)) {
            byte[] associatedData = TenantDataKeys.associatedData(key.tenantId(), key.keyId());
            byte[] plain;
            try {
                plain = masterKey.unwrap(key.wrappedKey(), associatedData);
            } catch (GeneralSecurityException e) {
                throw new DataKeyUnavailableException("The master key cannot unwrap the data key of tenant "
                        + key.tenantId() + " (wrapped by master key " + key.masterKeyId() + "): keep that key in"
                        + " the keyset until rotation has re-wrapped everything", e);
            }
            repository.rewrap(key.tenantId(), masterKey.wrap(plain, associatedData), current);
            rewrapped++;
            if (tenants.exists(key.tenantId())) {
                audit.record(key.tenantId(), "encryption.data_key_rewrapped", "data_key", Long.toString(key.keyId()),
                        Map.of("from_master_key", key.masterKeyId(), "to_master_key", current));
            }
        }
        return new Result(rewrapped, current);
    }

    /** What a rotation did: how many data keys it re-wrapped, and under which master key they all are now. */
    public record Result(int rewrapped, String masterKeyId) {
    }
}

package io.modelyard.tenant;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/**
 * {@code deleting}: its owner or an operator deleted it; nothing of it answers, and it is erased when its grace
 * period ends unless restored. {@code erased}: only a tombstone and the billing records kept by law remain.
 */
public enum TenantStatus {
    ACTIVE, SUSPENDED, DELETING, ERASED;

    /** Whether the tenant was deleted (pending erasure or erased): its keys and sessions no longer count. */
    public boolean deleted() {
        return this == DELETING || this == ERASED;
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<TenantStatus> {
        public Column() {
            super(TenantStatus.class);
        }
    }
}

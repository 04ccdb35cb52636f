package io.modelyard.tenant;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

public enum TenantStatus {
    ACTIVE, SUSPENDED;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<TenantStatus> {
        public Column() {
            super(TenantStatus.class);
        }
    }
}

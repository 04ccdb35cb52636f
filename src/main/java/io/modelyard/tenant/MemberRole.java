package io.modelyard.tenant;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** A member's role in one tenant, from most to least powerful. */
public enum MemberRole {
    OWNER, ADMIN, MEMBER, VIEWER;

    public boolean atLeast(MemberRole other) {
        return ordinal() <= other.ordinal();
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<MemberRole> {
        public Column() {
            super(MemberRole.class);
        }
    }
}

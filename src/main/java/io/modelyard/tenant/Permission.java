package io.modelyard.tenant;

/**
 * What an operation needs. Members get permissions from their role, API keys from their scopes
 * (see {@code io.modelyard.auth.ApiKeyScope}); each operation names the one permission it requires.
 */
public enum Permission {
    READ,
    DATASETS_WRITE,
    JOBS_WRITE,
    PREDICT,
    /** Create and revoke one's own API keys. */
    KEYS_WRITE,
    /** Manage every key of the tenant, members, tenant settings; read the audit log. */
    ADMIN;

    /** The permissions of a member with this role. */
    public static java.util.Set<Permission> of(MemberRole role) {
        return switch (role) {
            case OWNER, ADMIN -> java.util.EnumSet.allOf(Permission.class);
            case MEMBER -> java.util.EnumSet.of(READ, DATASETS_WRITE, JOBS_WRITE, PREDICT, KEYS_WRITE);
            case VIEWER -> java.util.EnumSet.of(READ);
        };
    }
}

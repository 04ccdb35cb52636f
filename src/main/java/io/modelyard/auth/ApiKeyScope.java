package io.modelyard.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.Permission;
import java.util.EnumSet;
import java.util.Set;

/** What an API key may do. A key holds only the scopes it was given; none implies another. */
public enum ApiKeyScope {
    READ("read", Permission.READ),
    DATASETS_WRITE("datasets:write", Permission.DATASETS_WRITE),
    JOBS_WRITE("jobs:write", Permission.JOBS_WRITE),
    PREDICT("predict", Permission.PREDICT),
    /** Manage keys, members and tenant settings; read the audit log. */
    ADMIN("admin", Permission.ADMIN);

    private final String wireName;
    private final Permission permission;

    ApiKeyScope(String wireName, Permission permission) {
        this.wireName = wireName;
        this.permission = permission;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public Permission permission() {
        return permission;
    }

    @JsonCreator
    public static ApiKeyScope fromWire(String value) {
        for (ApiKeyScope scope : values()) {
            if (scope.wireName.equals(value)) {
                return scope;
            }
        }
        throw ProblemException.invalidField("scopes",
                "unknown scope '" + value + "'; use read, datasets:write, jobs:write, predict or admin");
    }

    /** The permissions a key with these scopes has. */
    public static Set<Permission> permissionsOf(Set<ApiKeyScope> scopes) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (ApiKeyScope scope : scopes) {
            permissions.add(scope.permission);
            if (scope == ADMIN) {
                permissions.add(Permission.KEYS_WRITE);
                permissions.add(Permission.READ);
            }
        }
        return permissions;
    }
}

package io.modelyard.tenant;

import java.util.Set;

/**
 * Who is acting: a person (by Keycloak subject) or an API key, with what they may do in the current tenant.
 * Recorded in the audit log and on what they create.
 *
 * @param role the member role for people; null for API keys and for the system
 */
public record Actor(Type type, String id, String displayName, MemberRole role, Set<Permission> permissions) {

    public enum Type { USER, API_KEY, OPERATOR, SYSTEM }

    public static Actor system(String what) {
        return new Actor(Type.SYSTEM, what, what, null, Set.of());
    }

    /** "user:<subject>" or "key:<id>": how rows record their creator. */
    public String reference() {
        return switch (type) {
            case USER, OPERATOR -> "user:" + id;
            case API_KEY -> "key:" + id;
            case SYSTEM -> "system:" + id;
        };
    }

    public boolean can(Permission permission) {
        return permissions.contains(permission);
    }
}

package io.modelyard.tenant;

/**
 * A person's access to a tenant shrank or ended: their role changed, or they were removed (or left). Fired
 * inside the transaction that made the change, so whatever the person's access rested on (the API keys they
 * made) is narrowed in the same commit.
 *
 * @param actorReference how rows record the person as their creator ({@code user:<subject>})
 * @param newRole        the role they have now; null when they no longer belong to the tenant
 */
public record MemberAccessChanged(String tenantId, String actorReference, MemberRole newRole) {

    public boolean removed() {
        return newRole == null;
    }
}

package io.modelyard.tenant;

/**
 * Whatever a caller holds open on this instance — an event stream, say — must end and be opened again, so that
 * it meets the caller's rights as they are now: a key was revoked or changed, a member removed or re-roled, a
 * tenant suspended. Fired on every API instance (after commit, through PostgreSQL notifications), never inside a
 * transaction.
 *
 * @param tenantId       the tenant, or null when the actor alone identifies it (an API key)
 * @param actorReference {@code key:<id>} or {@code user:<subject>}; null for every actor of the tenant
 */
public record AccessRevoked(String tenantId, String actorReference) {

    /** Whether a holder acting as {@code actorReference} in {@code tenant} is concerned. */
    public boolean concerns(String tenant, String actor) {
        return (tenantId == null || tenantId.equals(tenant))
                && (actorReference == null || actorReference.equals(actor));
    }
}

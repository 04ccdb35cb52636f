package io.modelyard.tenant;

/**
 * Attributes an authentication mechanism may put on a {@code SecurityIdentity} when the credential itself fixes
 * the tenant (API keys): {@link TenantResolutionFilter} then takes the tenant from them instead of looking up
 * memberships.
 */
public final class IdentityAttributes {

    /** The {@link Actor}. */
    public static final String ACTOR = "modelyard.actor";
    /** The tenant id, a String. */
    public static final String TENANT_ID = "modelyard.tenant_id";
    /** The tenant's {@link TenantStatus}. */
    public static final String TENANT_STATUS = "modelyard.tenant_status";
    /** The tenant's plan, a String. */
    public static final String TENANT_PLAN = "modelyard.tenant_plan";

    private IdentityAttributes() {
    }
}

package io.modelyard.portal;

import java.util.List;

/**
 * What every portal page shows around its content: who is signed in, the tenant in view and the others they
 * may switch to, the CSRF token forms send, and what the person may do here (so that buttons they cannot use
 * are not shown; the services refuse them anyway).
 *
 * @param section the navigation entry to mark as current
 * @param base    the path of the tenant's pages ({@code /portal/t/<id>}), or {@code /portal} without a tenant
 */
public record Chrome(String section, String userName, String csrf, TenantLink tenant, List<TenantLink> tenants,
        boolean operator, Abilities can, String base, String assetVersion) {

    /** A tenant the person belongs to; {@code deleted}: pending erasure, restorable by its owner. */
    public record TenantLink(String id, String name, String role, boolean suspended, boolean deleted) {
    }

    /** What the person may do in the tenant in view. */
    public record Abilities(boolean read, boolean writeDatasets, boolean train, boolean predict, boolean manageKeys,
            boolean admin, boolean owner) {

        static final Abilities NONE = new Abilities(false, false, false, false, false, false, false);
    }

    /** The chrome of a page for someone not signed in. */
    public static Chrome anonymous() {
        return new Chrome("public", null, null, null, List.of(), false, Abilities.NONE, "/portal",
                PortalSession.ASSET_VERSION);
    }

    public boolean hasTenant() {
        return tenant != null;
    }

    public boolean signedIn() {
        return userName != null;
    }
}

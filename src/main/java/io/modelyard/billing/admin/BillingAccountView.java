package io.modelyard.billing.admin;

import java.time.Instant;

/**
 * A tenant's billing account as operators see it: its plan and where the external biller knows it.
 *
 * @param stripeCustomerId null until set; exports then use the placeholder {@code unmapped_<tenant id>}
 */
public record BillingAccountView(String tenantId, String object, String plan, String stripeCustomerId,
        Instant updatedAt) {
}

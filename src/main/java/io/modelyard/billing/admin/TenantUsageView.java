package io.modelyard.billing.admin;

import io.modelyard.billing.Meter;
import java.math.BigDecimal;

/** One tenant's use of one meter in a period, for operators' lists of tenants by usage. */
public record TenantUsageView(String object, String tenantId, String name, String plan, Meter meter, String period,
        BigDecimal used, BigDecimal reserved) {
}

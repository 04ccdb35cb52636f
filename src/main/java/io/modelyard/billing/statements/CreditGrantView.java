package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Credits for one period: a quantity of a meter (raises what is included and the limit) or an amount of money in
 * minor units (offsets the invoice, never below zero).
 */
public record CreditGrantView(String id, String object, String tenantId, String period, Meter meter,
        BigDecimal quantity, Long amount, String currency, String reason, String grantedBy, Instant createdAt) {

    static CreditGrantView of(CreditGrant g) {
        return new CreditGrantView(g.id, "credit_grant", g.tenantId, Period.ofStart(g.periodStart).toString(),
                g.meter == null ? null : Meter.fromWire(g.meter), Quantities.plain(g.quantity), g.amount, g.currency,
                g.reason, g.grantedBy, g.createdAt);
    }
}

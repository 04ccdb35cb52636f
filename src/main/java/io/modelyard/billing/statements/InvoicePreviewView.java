package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a period costs, as far as Modelyard knows: the plan's base price, one line per meter (used beyond what
 * is included, at the plan's unit price), money credits, total. Amounts are integer minor units of
 * {@code currency}; each line is rounded half up. {@code status} is {@code open} for the current period (it still
 * grows) and {@code closed} for past ones. The external biller issues the real invoice.
 */
public record InvoicePreviewView(String object, String tenantId, String plan, String period, Instant periodStart,
        Instant periodEnd, String status, String currency, long basePrice, List<LineItem> lineItems, long usageAmount,
        long subtotal, long credits, long total) {

    /**
     * @param included   what the plan and the period's quantity credits include
     * @param billable   quantity beyond what is included
     * @param unitPrice  minor units per unit beyond what is included, as a decimal string (may be a fraction)
     * @param amount     billable × unit price, in minor units
     */
    public record LineItem(Meter meter, String unit, BigDecimal quantity, BigDecimal included, BigDecimal billable,
            String unitPrice, long amount) {
    }

    static InvoicePreviewView of(Statements.Statement statement) {
        List<LineItem> lines = statement.meters().stream()
                .filter(m -> m.used().signum() > 0 || m.included().signum() > 0 || m.unitPrice().signum() > 0)
                .map(m -> new LineItem(m.meter(), m.meter().unit(), Quantities.plain(m.used()),
                        Quantities.plain(m.included()), Quantities.plain(m.billable()),
                        Quantities.plain(m.unitPrice()).toPlainString(), m.amount()))
                .toList();
        long usageAmount = lines.stream().mapToLong(LineItem::amount).sum();
        long base = statement.plan().basePrice();
        long subtotal = base + usageAmount;
        long credits = Math.min(subtotal, statement.moneyCredits());
        Period period = statement.period();
        return new InvoicePreviewView("invoice_preview", statement.tenantId(), statement.plan().name(),
                period.toString(), period.start(), period.end(), statement.current() ? "open" : "closed",
                statement.plan().currency(), base, lines, usageAmount, subtotal, credits, subtotal - credits);
    }
}

package io.modelyard.billing.statements;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/**
 * Credits an operator granted a tenant for one period: a quantity of a meter (raises what is included and the
 * limit) or an amount of money (offsets the invoice). Read-only to the ORM: operators grant through a native
 * insert, since they act on a tenant other than the session's.
 */
@Entity
@Immutable
@Table(name = "credit_grants")
class CreditGrant {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id")
    String tenantId;

    @Column(name = "period_start")
    LocalDate periodStart;

    String meter;

    BigDecimal quantity;

    Long amount;

    String currency;

    String reason;

    @Column(name = "granted_by")
    String grantedBy;

    @Column(name = "created_at")
    Instant createdAt;
}

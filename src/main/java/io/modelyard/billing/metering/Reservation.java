package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import java.math.BigDecimal;
import java.time.Instant;

/** Quota capacity held for an action that will record its usage later (see {@link Quotas#reserve}). */
public record Reservation(String id, String reference, Meter meter, BigDecimal quantity, Instant expiresAt) {
}

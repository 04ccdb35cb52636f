package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import io.modelyard.common.NativeQueryValues;
import io.modelyard.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Queries of the hourly and daily roll-ups, by meter, API key and model (in the caller's transaction). */
@ApplicationScoped
public class UsageRollups {

    static final int MAX_DAYS = 366;
    static final Duration MAX_HOURS = Duration.ofDays(31);

    enum Granularity { HOUR, DAY }

    /** Which dimensions buckets are split by, besides the meter: {@code api_key}, {@code model}. */
    record Grouping(boolean byApiKey, boolean byModel) {

        static Grouping parse(String value) {
            if (value == null || value.isBlank()) {
                return new Grouping(false, false);
            }
            Set<String> parts = Set.of(value.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
            for (String part : parts) {
                if (!part.equals("api_key") && !part.equals("model")) {
                    throw ProblemException.invalidField("group_by", "must list api_key and/or model");
                }
            }
            return new Grouping(parts.contains("api_key"), parts.contains("model"));
        }
    }

    private final EntityManager entityManager;

    UsageRollups(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Days {@code from} to {@code to}, both included. */
    List<UsageBucketView> daily(String tenantId, LocalDate from, LocalDate to, UsageFilter filter, Grouping grouping) {
        if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to)) {
            throw ProblemException.invalidField("to", "must be on or after from, at most " + MAX_DAYS + " days later");
        }
        return query("usage_daily", "day", Granularity.DAY, tenantId, from, to.plusDays(1), filter, grouping);
    }

    /** Hours from the one holding {@code from} up to {@code to}, excluded. */
    List<UsageBucketView> hourly(String tenantId, Instant from, Instant to, UsageFilter filter, Grouping grouping) {
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_HOURS) > 0) {
            throw ProblemException.invalidField("to", "must be after from, at most 31 days later");
        }
        return query("usage_hourly", "hour_start", Granularity.HOUR, tenantId,
                OffsetDateTime.ofInstant(from, ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0).toInstant(),
                to, filter, grouping);
    }

    private List<UsageBucketView> query(String table, String bucket, Granularity granularity, String tenantId,
            Object from, Object to, UsageFilter filter, Grouping grouping) {
        String key = grouping.byApiKey() ? "api_key_id" : "''";
        String model = grouping.byModel() ? "model_id" : "''";
        StringBuilder sql = new StringBuilder("select " + bucket + ", meter, " + key + ", " + model
                + ", sum(quantity), sum(events) from " + table
                + " where tenant_id = :tenant and " + bucket + " >= :from and " + bucket + " < :to");
        if (filter.meter() != null) {
            sql.append(" and meter = :meter");
        }
        if (filter.apiKeyId() != null) {
            sql.append(" and api_key_id = :key");
        }
        if (filter.modelId() != null) {
            sql.append(" and model_id = :model");
        }
        sql.append(" group by 1, 2, 3, 4 order by 1, 2, 3, 4");
        Query query = entityManager.createNativeQuery(sql.toString())
                .setParameter("tenant", tenantId).setParameter("from", from).setParameter("to", to);
        if (filter.meter() != null) {
            query.setParameter("meter", filter.meter().wireName());
        }
        if (filter.apiKeyId() != null) {
            query.setParameter("key", filter.apiKeyId());
        }
        if (filter.modelId() != null) {
            query.setParameter("model", filter.modelId());
        }
        List<UsageBucketView> buckets = new ArrayList<>();
        for (Object result : query.getResultList()) {
            Object[] row = (Object[]) result;
            Instant start = granularity == Granularity.DAY
                    ? NativeQueryValues.localDate(row[0]).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : NativeQueryValues.instant(row[0]);
            Instant end = granularity == Granularity.DAY ? start.plus(Duration.ofDays(1)) : start.plusSeconds(3600);
            buckets.add(new UsageBucketView("usage_bucket", granularity.name().toLowerCase(Locale.ROOT), start, end,
                    Meter.fromWire((String) row[1]), emptyToNull((String) row[2]), emptyToNull((String) row[3]),
                    Quantities.plain((BigDecimal) row[4]), ((Number) row[5]).longValue()));
        }
        return buckets;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

package io.modelyard.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.TypedId;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQL of one metering transaction. The counter rows of every (tenant, meter, period) in the batch are locked
 * in key order, the charges are admitted one after the other against them in arrival order, and everything
 * admitted is written with one statement per table. Because every admission anywhere holds the counter row's
 * lock, a hard quota is exact whatever the concurrency, across threads and across instances.
 */
final class UsageBatch {

    record CounterKey(String tenantId, Meter meter, LocalDate period) {
        static final Comparator<CounterKey> ORDER = Comparator.comparing(CounterKey::tenantId)
                .thenComparing(k -> k.meter().wireName()).thenComparing(CounterKey::period);
    }

    private static final class Counter {
        BigDecimal used;
        BigDecimal reserved;
        Plan.Quota quota;
        BigDecimal limit;
    }

    private final Connection connection;
    private final List<Charge> charges;
    private final boolean quotasEnabled;
    private final RefusalAudits refusalAudits;
    private final ObjectMapper json;

    private final Map<CounterKey, BigDecimal> reservedDelta = new TreeMap<>(CounterKey.ORDER);
    private final Set<String> recordedKeys = new HashSet<>();
    private final Set<String> existingHolds = new HashSet<>();
    private final Map<CounterKey, Counter> counters = new TreeMap<>(CounterKey.ORDER);

    UsageBatch(Connection connection, List<Charge> charges, boolean quotasEnabled, RefusalAudits refusalAudits,
            ObjectMapper json) {
        this.connection = connection;
        this.charges = charges;
        this.quotasEnabled = quotasEnabled;
        this.refusalAudits = refusalAudits;
        this.json = json;
    }

    /** Runs the transaction; the caller commits. Returns one outcome per charge, in order. */
    List<Charge.Outcome> run() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select set_config('modelyard.operator', 'on', true)")) {
            statement.execute();
        }
        releaseReservations();
        findDuplicates();
        lockCounters();
        List<Charge.Outcome> outcomes = new ArrayList<>(charges.size());
        List<Object[]> events = new ArrayList<>();
        List<Object[]> holds = new ArrayList<>();
        List<Object[]> audits = new ArrayList<>();
        for (Charge charge : charges) {
            LocalDate period = charge.period().startDate();
            List<Usage> usages = new ArrayList<>();
            for (Usage usage : charge.usages()) {
                if (recordedKeys.add(charge.tenantId() + "|" + usage.idempotencyKey())) {
                    usages.add(usage);
                }
            }
            List<Charge.Hold> fresh = charge.holds().stream()
                    .filter(h -> !existingHolds.contains(h.reservationId())).toList();
            Map<CounterKey, BigDecimal> need = new TreeMap<>(CounterKey.ORDER);
            usages.forEach(u -> need.merge(new CounterKey(charge.tenantId(), u.meter(), period), u.quantity(),
                    BigDecimal::add));
            Map<CounterKey, BigDecimal> hold = new TreeMap<>(CounterKey.ORDER);
            fresh.forEach(h -> hold.merge(new CounterKey(charge.tenantId(), h.meter(), period), h.quantity(),
                    BigDecimal::add));
            QuotaExceeded refusal = charge.checked() && quotasEnabled ? admit(charge, need, hold) : null;
            if (refusal != null) {
                usages.forEach(u -> recordedKeys.remove(charge.tenantId() + "|" + u.idempotencyKey()));
                outcomes.add(new Charge.Outcome(refusal));
                long refusals = refusalAudits.refused(charge.tenantId(), refusal.meter());
                if (refusals > 0) {
                    audits.add(auditRow(charge, refusal, refusals));
                }
                continue;
            }
            need.forEach((key, quantity) -> counter(key).used = counter(key).used.add(quantity));
            hold.forEach((key, quantity) -> counter(key).reserved = counter(key).reserved.add(quantity));
            for (Usage usage : usages) {
                events.add(eventRow(charge, usage));
            }
            for (Charge.Hold h : fresh) {
                holds.add(new Object[] {h.reservationId(), charge.tenantId(), h.reference(), h.meter().wireName(),
                        h.quantity().toPlainString(), period.toString(), charge.at().toString(),
                        h.expiresAt().toString()});
            }
            outcomes.add(Charge.Outcome.ACCEPTED);
        }
        insertEvents(events);
        insertHolds(holds);
        adjustReserved();
        insertAudits(audits);
        return outcomes;
    }

    private QuotaExceeded admit(Charge charge, Map<CounterKey, BigDecimal> need, Map<CounterKey, BigDecimal> hold) {
        Map<CounterKey, BigDecimal> total = new TreeMap<>(CounterKey.ORDER);
        total.putAll(need);
        hold.forEach((k, q) -> total.merge(k, q, BigDecimal::add));
        for (Map.Entry<CounterKey, BigDecimal> entry : total.entrySet()) {
            Counter counter = counter(entry.getKey());
            if (counter.quota == Plan.Quota.HARD && counter.limit != null) {
                BigDecimal taken = counter.used.add(counter.reserved);
                if (taken.add(entry.getValue()).compareTo(counter.limit) > 0) {
                    return new QuotaExceeded(charge.tenantId(), entry.getKey().meter(), counter.limit, taken,
                            entry.getValue(), charge.period().end());
                }
            }
        }
        return null;
    }

    private Counter counter(CounterKey key) {
        return counters.computeIfAbsent(key, k -> {
            Counter unknown = new Counter();
            unknown.used = BigDecimal.ZERO;
            unknown.reserved = BigDecimal.ZERO;
            unknown.quota = Plan.Quota.SOFT;
            return unknown;
        });
    }

    private void releaseReservations() throws SQLException {
        List<String> ids = new ArrayList<>();
        charges.forEach(c -> ids.addAll(c.releases()));
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("delete from usage_reservations"
                + " where id = any(?) returning tenant_id, meter, period_start, quantity")) {
            statement.setArray(1, texts(ids));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reservedDelta.merge(new CounterKey(rows.getString(1), Meter.fromWire(rows.getString(2)),
                            rows.getDate(3).toLocalDate()), rows.getBigDecimal(4).negate(), BigDecimal::add);
                }
            }
        }
    }

    private void findDuplicates() throws SQLException {
        List<String> tenants = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> holdIds = new ArrayList<>();
        for (Charge charge : charges) {
            if (charge.checkDuplicates()) {
                charge.usages().forEach(u -> {
                    tenants.add(charge.tenantId());
                    keys.add(u.idempotencyKey());
                });
                charge.holds().forEach(h -> holdIds.add(h.reservationId()));
            }
        }
        if (!keys.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("select tenant_id, idempotency_key"
                    + " from usage_events where (tenant_id, idempotency_key) in"
                    + " (select * from unnest(?::text[], ?::text[]))")) {
                statement.setArray(1, texts(tenants));
                statement.setArray(2, texts(keys));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        recordedKeys.add(rows.getString(1) + "|" + rows.getString(2));
                    }
                }
            }
        }
        if (!holdIds.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select id from usage_reservations where id = any(?)")) {
                statement.setArray(1, texts(holdIds));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        existingHolds.add(rows.getString(1));
                    }
                }
            }
        }
    }

    /** Creates missing counter rows, then locks them all in key order and reads them with the quota terms. */
    private void lockCounters() throws SQLException {
        Set<CounterKey> keys = new java.util.TreeSet<>(CounterKey.ORDER);
        for (Charge charge : charges) {
            LocalDate period = charge.period().startDate();
            charge.usages().forEach(u -> keys.add(new CounterKey(charge.tenantId(), u.meter(), period)));
            charge.holds().forEach(h -> keys.add(new CounterKey(charge.tenantId(), h.meter(), period)));
        }
        keys.addAll(reservedDelta.keySet());
        if (keys.isEmpty()) {
            return;
        }
        Array tenants = texts(keys.stream().map(CounterKey::tenantId).toList());
        Array meters = texts(keys.stream().map(k -> k.meter().wireName()).toList());
        Array periods = texts(keys.stream().map(k -> k.period().toString()).toList());
        try (PreparedStatement statement = connection.prepareStatement("insert into usage_counters"
                + " (tenant_id, meter, period_start) select t, m, p::date from unnest(?::text[], ?::text[], ?::text[])"
                + " as k(t, m, p) order by 1, 2, 3 on conflict do nothing")) {
            statement.setArray(1, tenants);
            statement.setArray(2, meters);
            statement.setArray(3, periods);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("select c.tenant_id, c.meter, c.period_start,"
                + " c.used, c.reserved, t.quota, t.quota_limit from usage_counters c"
                + " left join lateral usage_terms(c.tenant_id, c.meter, c.period_start) t on true"
                + " where (c.tenant_id, c.meter, c.period_start) in"
                + " (select t, m, p::date from unnest(?::text[], ?::text[], ?::text[]) as k(t, m, p))"
                + " order by 1, 2, 3 for update of c")) {
            statement.setArray(1, tenants);
            statement.setArray(2, meters);
            statement.setArray(3, periods);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Counter counter = new Counter();
                    counter.used = rows.getBigDecimal(4);
                    counter.reserved = rows.getBigDecimal(5);
                    counter.quota = Plan.Quota.fromWire(rows.getString(6));
                    counter.limit = rows.getBigDecimal(7);
                    CounterKey key = new CounterKey(rows.getString(1), Meter.fromWire(rows.getString(2)),
                            rows.getDate(3).toLocalDate());
                    counter.reserved = counter.reserved.add(reservedDelta.getOrDefault(key, BigDecimal.ZERO))
                            .max(BigDecimal.ZERO);
                    counters.put(key, counter);
                }
            }
        }
    }

    private Object[] eventRow(Charge charge, Usage usage) {
        String attributes;
        try {
            attributes = json.writeValueAsString(usage.attributes() == null ? Map.of() : usage.attributes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return new Object[] {TypedId.generate("use"), charge.tenantId(), usage.meter().wireName(),
                usage.quantity().toPlainString(), usage.meter().unit(), charge.at().toString(),
                usage.idempotencyKey(), charge.origin().reference(),
                usage.apiKeyId() != null ? usage.apiKeyId() : charge.origin().apiKeyId(), usage.modelId(),
                usage.jobId(), attributes};
    }

    private void insertEvents(List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("insert into usage_events (id, tenant_id,"
                + " meter, quantity, unit, occurred_at, idempotency_key, source, api_key_id, model_id, job_id,"
                + " attributes) select id, t, m, q::numeric, u, o::timestamptz, k, s, a, md, j, attrs::jsonb"
                + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " as e(id, t, m, q, u, o, k, s, a, md, j, attrs)"
                + " on conflict (tenant_id, idempotency_key) do nothing")) {
            bindColumns(statement, rows, 12);
            statement.executeUpdate();
        }
    }

    private void insertHolds(List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("insert into usage_reservations (id,"
                + " tenant_id, reference, meter, quantity, period_start, created_at, expires_at)"
                + " select id, t, r, m, q::numeric, p::date, c::timestamptz, x::timestamptz"
                + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[]) as h(id, t, r, m, q, p, c, x)"
                + " on conflict do nothing returning tenant_id, meter, period_start, quantity")) {
            bindColumns(statement, rows, 8);
            try (ResultSet inserted = statement.executeQuery()) {
                while (inserted.next()) {
                    reservedDelta.merge(new CounterKey(inserted.getString(1), Meter.fromWire(inserted.getString(2)),
                            inserted.getDate(3).toLocalDate()), inserted.getBigDecimal(4), BigDecimal::add);
                }
            }
        }
    }

    private void adjustReserved() throws SQLException {
        Map<CounterKey, BigDecimal> changed = new LinkedHashMap<>();
        reservedDelta.forEach((k, d) -> {
            if (d.signum() != 0) {
                changed.put(k, d);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("update usage_counters c"
                + " set reserved = greatest(c.reserved + d.delta::numeric, 0), updated_at = now()"
                + " from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as d(t, m, p, delta)"
                + " where c.tenant_id = d.t and c.meter = d.m and c.period_start = d.p::date")) {
            List<CounterKey> keys = new ArrayList<>(changed.keySet());
            statement.setArray(1, texts(keys.stream().map(CounterKey::tenantId).toList()));
            statement.setArray(2, texts(keys.stream().map(k -> k.meter().wireName()).toList()));
            statement.setArray(3, texts(keys.stream().map(k -> k.period().toString()).toList()));
            statement.setArray(4, texts(changed.values().stream().map(BigDecimal::toPlainString).toList()));
            statement.executeUpdate();
        }
    }

    private Object[] auditRow(Charge charge, QuotaExceeded refusal, long refusals) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("meter", refusal.meter().wireName());
        details.put("limit", Quantities.plain(refusal.limit()));
        details.put("used", Quantities.plain(refusal.used()));
        details.put("requested", Quantities.plain(refusal.requested()));
        details.put("resets_at", refusal.resetsAt().toString());
        details.put("refusals", refusals);
        String body;
        try {
            body = json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        Origin origin = charge.origin();
        return new Object[] {TypedId.generate("aud"), charge.tenantId(), origin.actorType(), origin.actorId(),
                "quota.exceeded", "meter", refusal.meter().wireName(), origin.sourceIp(), origin.requestId(), body,
                Instant.now().truncatedTo(ChronoUnit.MICROS).toString()};
    }

    private void insertAudits(List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("insert into audit_events (id, tenant_id,"
                + " actor_type, actor_id, action, target_type, target_id, source_ip, request_id, details, created_at)"
                + " select id, t, at, ai, ac, tt, ti, ip, rq, d::jsonb, c::timestamptz from unnest(?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[]) as a(id, t, at, ai, ac, tt, ti, ip, rq, d, c)")) {
            bindColumns(statement, rows, 11);
            statement.executeUpdate();
        }
    }

    private void bindColumns(PreparedStatement statement, List<Object[]> rows, int columns) throws SQLException {
        for (int column = 0; column < columns; column++) {
            final int c = column;
            statement.setArray(column + 1, texts(rows.stream().map(r -> (String) r[c]).toList()));
        }
    }

    private Array texts(List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}

package io.modelyard.billing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.TypedId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One metering transaction, in one round trip: the batch goes to the database as one JSON document, and
 * {@code usage_admit} (V42) locks the counter rows of every (tenant, meter, period) it touches in key order,
 * admits the charges one after the other in arrival order against them, and appends what it admitted — all in
 * the implicit transaction of one autocommitted statement. Because every admission anywhere holds the counter
 * row's lock, a hard quota is exact whatever the concurrency, across threads and across instances.
 */
final class UsageBatch {

    private static final Logger LOG = Logger.getLogger(UsageBatch.class);

    private final List<Charge> charges;
    private final boolean quotasEnabled;
    private final RefusalAudits refusalAudits;
    private final ObjectMapper json;
    private final int queryTimeoutSeconds;

    UsageBatch(List<Charge> charges, boolean quotasEnabled, RefusalAudits refusalAudits, ObjectMapper json,
            int queryTimeoutSeconds) {
        this.charges = charges;
        this.quotasEnabled = quotasEnabled;
        this.refusalAudits = refusalAudits;
        this.json = json;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** Runs the batch on {@code connection} (in autocommit mode); one outcome per charge, in order. */
    List<Charge.Outcome> run(Connection connection) throws SQLException {
        List<Charge.Outcome> outcomes = new ArrayList<>(charges.size());
        charges.forEach(c -> outcomes.add(Charge.Outcome.ACCEPTED));
        List<Object[]> audits = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("select charge, meter, quota_limit, taken,"
                + " requested from usage_admit(cast(? as jsonb))")) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.setString(1, document());
            try (ResultSet refused = statement.executeQuery()) {
                while (refused.next()) {
                    Charge charge = charges.get(refused.getInt(1));
                    QuotaExceeded refusal = new QuotaExceeded(charge.tenantId(), Meter.fromWire(refused.getString(2)),
                            refused.getBigDecimal(3), refused.getBigDecimal(4), refused.getBigDecimal(5),
                            charge.period().end());
                    outcomes.set(refused.getInt(1), new Charge.Outcome(refusal));
                    long count = refusalAudits.refused(charge.tenantId(), refusal.meter());
                    if (count > 0) {
                        audits.add(auditRow(charge, refusal, count));
                    }
                }
            }
        }
        insertAudits(connection, audits);
        return outcomes;
    }

    private String document() {
        StringWriter out = new StringWriter(256 + charges.size() * 400);
        Set<String> seen = new HashSet<>();
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            List<Charge.Hold> holds = new ArrayList<>();
            List<Integer> holdCharges = new ArrayList<>();
            g.writeStartObject();
            g.writeArrayFieldStart("charges");
            for (int i = 0; i < charges.size(); i++) {
                Charge charge = charges.get(i);
                Map<String, BigDecimal> need = new TreeMap<>();
                for (Usage usage : charge.usages()) {
                    if (seen.contains(charge.tenantId() + "|" + usage.idempotencyKey())) {
                        continue;
                    }
                    need.merge(usage.meter().wireName(), usage.quantity(), BigDecimal::add);
                }
                for (Charge.Hold hold : charge.holds()) {
                    need.merge(hold.meter().wireName(), hold.quantity(), BigDecimal::add);
                    holds.add(hold);
                    holdCharges.add(i);
                }
                g.writeStartObject();
                g.writeNumberField("i", i);
                g.writeStringField("t", charge.tenantId());
                g.writeStringField("p", charge.period().startDate().toString());
                g.writeBooleanField("c", charge.checked() && quotasEnabled);
                g.writeBooleanField("d", charge.checkDuplicates());
                g.writeObjectFieldStart("n");
                for (Map.Entry<String, BigDecimal> entry : need.entrySet()) {
                    g.writeStringField(entry.getKey(), entry.getValue().toPlainString());
                }
                g.writeEndObject();
                g.writeEndObject();
                for (Usage usage : charge.usages()) {
                    seen.add(charge.tenantId() + "|" + usage.idempotencyKey());
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("events");
            Set<String> written = new HashSet<>();
            for (int i = 0; i < charges.size(); i++) {
                Charge charge = charges.get(i);
                for (Usage usage : charge.usages()) {
                    if (written.add(charge.tenantId() + "|" + usage.idempotencyKey())) {
                        event(g, i, charge, usage);
                    }
                }
            }
            g.writeEndArray();
            if (!holds.isEmpty()) {
                g.writeArrayFieldStart("holds");
                for (int h = 0; h < holds.size(); h++) {
                    Charge.Hold hold = holds.get(h);
                    g.writeStartObject();
                    g.writeNumberField("i", holdCharges.get(h));
                    g.writeStringField("id", hold.reservationId());
                    g.writeStringField("r", hold.reference());
                    g.writeStringField("m", hold.meter().wireName());
                    g.writeStringField("q", hold.quantity().toPlainString());
                    g.writeStringField("at", charges.get(holdCharges.get(h)).at().toString());
                    g.writeStringField("exp", hold.expiresAt().toString());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (charges.stream().anyMatch(c -> !c.releases().isEmpty())) {
                g.writeArrayFieldStart("releases");
                for (int i = 0; i < charges.size(); i++) {
                    for (String id : charges.get(i).releases()) {
                        g.writeStartObject();
                        g.writeNumberField("i", i);
                        g.writeStringField("id", id);
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
            }
            if (charges.stream().anyMatch(Charge::checkDuplicates)) {
                g.writeBooleanField("dedupe", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void event(JsonGenerator g, int i, Charge charge, Usage usage) throws IOException {
        g.writeStartObject();
        g.writeNumberField("i", i);
        g.writeStringField("id", TypedId.generate("use"));
        g.writeStringField("m", usage.meter().wireName());
        g.writeStringField("q", usage.quantity().toPlainString());
        g.writeStringField("u", usage.meter().unit());
        g.writeStringField("at", charge.at().toString());
        g.writeStringField("k", usage.idempotencyKey());
        g.writeStringField("s", charge.origin().reference());
        String apiKey = usage.apiKeyId() != null ? usage.apiKeyId() : charge.origin().apiKeyId();
        if (apiKey != null) {
            g.writeStringField("a", apiKey);
        }
        if (usage.modelId() != null) {
            g.writeStringField("md", usage.modelId());
        }
        if (usage.jobId() != null) {
            g.writeStringField("j", usage.jobId());
        }
        if (usage.attributes() != null && !usage.attributes().isEmpty()) {
            g.writeObjectFieldStart("x");
            for (Map.Entry<String, String> attribute : usage.attributes().entrySet()) {
                g.writeStringField(attribute.getKey(), attribute.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Origin origin = charge.origin();
        return new Object[] {TypedId.generate("aud"), charge.tenantId(), origin.actorType(), origin.actorId(),
                "quota.exceeded", "meter", refusal.meter().wireName(), origin.sourceIp(), origin.requestId(), body,
                Instant.now().truncatedTo(ChronoUnit.MICROS).toString()};
    }

    /**
     * Refusals are rare; their audit records follow the batch in a transaction of their own (in operator mode,
     * since a batch spans tenants). The batch has committed by then: a failure here is logged, not undone.
     */
    private static void insertAudits(Connection connection, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement operator = connection.prepareStatement(
                    "select set_config('modelyard.operator', 'on', true)")) {
                operator.execute();
            }
            try (PreparedStatement statement = connection.prepareStatement("insert into audit_events (id, tenant_id,"
                    + " actor_type, actor_id, action, target_type, target_id, source_ip, request_id, details,"
                    + " created_at) select id, t, at, ai, ac, tt, ti, ip, rq, d::jsonb, c::timestamptz from"
                    + " unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                    + " ?::text[], ?::text[], ?::text[], ?::text[]) as a(id, t, at, ai, ac, tt, ti, ip, rq, d, c)")) {
                for (int column = 0; column < 11; column++) {
                    final int c = column;
                    statement.setArray(column + 1, connection.createArrayOf("text",
                            rows.stream().map(r -> r[c]).toArray()));
                }
                statement.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            LOG.warnf(e, "Could not audit %d quota refusals", rows.size());
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is discarded on its next failure
            }
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // idem
            }
        }
    }
}

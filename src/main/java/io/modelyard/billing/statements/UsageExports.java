package io.modelyard.billing.statements;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import io.modelyard.tenant.OperatorCredential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledger for an external biller, streamed page by page (each page its own short read in operator mode), in
 * the ledger's order (occurred_at, id): CSV, CloudEvents 1.0 (JSON batch) or Stripe meter events. Every record
 * carries a stable identifier, so exporting a window twice lets the biller drop the repeats.
 */
@ApplicationScoped
public class UsageExports {

    public enum Format { CSV, CLOUDEVENTS, STRIPE }

    static final String CLOUDEVENT_TYPE = "dev.modelyard.usage.recorded.v1";
    static final int STRIPE_IDENTIFIER_MAX = 100;
    private static final int PAGE = 1000;

    record Row(String id, String tenantId, String meter, BigDecimal quantity, String unit, Instant occurredAt,
            String idempotencyKey, String source, String apiKeyId, String modelId, String jobId, String attributes,
            String stripeCustomerId) {
    }

    private final AgroalDataSource dataSource;
    private final OperatorCredential operatorCredential;
    private final ObjectMapper json;

    UsageExports(AgroalDataSource dataSource, OperatorCredential operatorCredential, ObjectMapper json) {
        this.dataSource = dataSource;
        this.operatorCredential = operatorCredential;
        this.json = json;
    }

    public StreamingOutput export(Format format, Instant from, Instant to, String tenantId, Meter meter) {
        return output -> {
            switch (format) {
                case CSV -> csv(output, from, to, tenantId, meter);
                case CLOUDEVENTS -> jsonArray(output, from, to, tenantId, meter, this::cloudEvent);
                case STRIPE -> jsonArray(output, from, to, tenantId, meter, this::stripeEvent);
            }
        };
    }

    private void csv(OutputStream output, Instant from, Instant to, String tenantId, Meter meter) throws IOException {
        Writer writer = new OutputStreamWriter(output, StandardCharsets.UTF_8);
        writer.write("id,tenant_id,meter,quantity,unit,occurred_at,idempotency_key,source,api_key_id,model_id,"
                + "job_id,stripe_customer_id\r\n");
        forEach(from, to, tenantId, meter, row -> {
            try {
                writer.write(String.join(",", csvField(row.id()), csvField(row.tenantId()), csvField(row.meter()),
                        Quantities.plain(row.quantity()).toPlainString(), csvField(row.unit()),
                        row.occurredAt().toString(), csvField(row.idempotencyKey()), csvField(row.source()),
                        csvField(row.apiKeyId()), csvField(row.modelId()), csvField(row.jobId()),
                        csvField(row.stripeCustomerId())));
                writer.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.flush();
    }

    private void jsonArray(OutputStream output, Instant from, Instant to, String tenantId, Meter meter,
            java.util.function.Function<Row, Map<String, Object>> shape) throws IOException {
        JsonGenerator generator = json.getFactory().createGenerator(output);
        generator.writeStartArray();
        forEach(from, to, tenantId, meter, row -> {
            try {
                json.writeValue(generator, shape.apply(row));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        generator.writeEndArray();
        generator.flush();
    }

    /** A CloudEvent in structured JSON mode, spec 1.0. */
    Map<String, Object> cloudEvent(Row row) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_id", row.tenantId());
        data.put("meter", row.meter());
        data.put("quantity", Quantities.plain(row.quantity()));
        data.put("unit", row.unit());
        data.put("idempotency_key", row.idempotencyKey());
        data.put("source", row.source());
        data.put("api_key_id", row.apiKeyId());
        data.put("model_id", row.modelId());
        data.put("job_id", row.jobId());
        data.put("attributes", readAttributes(row.attributes()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", row.id());
        event.put("source", "/modelyard/tenants/" + row.tenantId());
        event.put("type", CLOUDEVENT_TYPE);
        event.put("subject", row.meter());
        event.put("time", row.occurredAt().toString());
        event.put("datacontenttype", "application/json");
        event.put("modelyardtenant", row.tenantId());
        event.put("data", data);
        return event;
    }

    /** A Stripe billing meter event: the meter is the event name; the tenant maps to a Stripe customer. */
    Map<String, Object> stripeEvent(Row row) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("stripe_customer_id", row.stripeCustomerId() != null ? row.stripeCustomerId()
                : "unmapped_" + row.tenantId());
        payload.put("value", Quantities.plain(row.quantity()).toPlainString());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_name", row.meter());
        event.put("payload", payload);
        event.put("identifier", stripeIdentifier(row.tenantId(), row.idempotencyKey()));
        event.put("timestamp", row.occurredAt().getEpochSecond());
        return event;
    }

    /**
     * Our idempotency key, qualified by its tenant (keys are unique per tenant in the ledger, Stripe identifiers
     * per account); hashed when longer than Stripe's 100 characters.
     */
    static String stripeIdentifier(String tenantId, String idempotencyKey) {
        String identifier = tenantId + "/" + idempotencyKey;
        if (identifier.length() <= STRIPE_IDENTIFIER_MAX) {
            return identifier;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identifier.getBytes(StandardCharsets.UTF_8));
            return tenantId + "/sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object readAttributes(String attributes) {
        try {
            return attributes == null ? Map.of() : json.readValue(attributes, Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }

    private void forEach(Instant from, Instant to, String tenantId, Meter meter,
            java.util.function.Consumer<Row> consumer) {
        Instant afterAt = null;
        String afterId = null;
        while (true) {
            java.util.List<Row> page = page(from, to, tenantId, meter, afterAt, afterId);
            page.forEach(consumer);
            if (page.size() < PAGE) {
                return;
            }
            Row last = page.get(page.size() - 1);
            afterAt = last.occurredAt();
            afterId = last.id();
        }
    }

    private java.util.List<Row> page(Instant from, Instant to, String tenantId, Meter meter, Instant afterAt,
            String afterId) {
        String sql = "select e.id, e.tenant_id, e.meter, e.quantity, e.unit, e.occurred_at, e.idempotency_key,"
                + " e.source, e.api_key_id, e.model_id, e.job_id, e.attributes::text, b.stripe_customer_id"
                + " from usage_events e left join billing_accounts b on b.tenant_id = e.tenant_id"
                + " where e.occurred_at >= ? and e.occurred_at < ?"
                + (tenantId == null ? "" : " and e.tenant_id = ?")
                + (meter == null ? "" : " and e.meter = ?")
                + (afterAt == null ? "" : " and (e.occurred_at, e.id) > (?, ?)")
                + " order by e.occurred_at, e.id limit " + PAGE;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            operatorCredential.enterForTransaction(connection);
            java.util.List<Row> rows = new java.util.ArrayList<>(PAGE);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 1;
                statement.setObject(i++, utc(from));
                statement.setObject(i++, utc(to));
                if (tenantId != null) {
                    statement.setString(i++, tenantId);
                }
                if (meter != null) {
                    statement.setString(i++, meter.wireName());
                }
                if (afterAt != null) {
                    statement.setObject(i++, utc(afterAt));
                    statement.setString(i, afterId);
                }
                try (ResultSet r = statement.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Row(r.getString(1), r.getString(2), r.getString(3), r.getBigDecimal(4),
                                r.getString(5), r.getObject(6, OffsetDateTime.class).toInstant(), r.getString(7), r.getString(8),
                                r.getString(9), r.getString(10), r.getString(11), r.getString(12), r.getString(13)));
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage for export", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}

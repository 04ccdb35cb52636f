package io.modelyard.billing.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.modelyard.billing.Usage;
import io.modelyard.common.TypedId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One ledger transaction, in one round trip: the batch goes to the database as one JSON document and
 * {@code usage_append} (V50) appends it to the writer's stream in the implicit transaction of one autocommitted
 * statement — a plain multi-row insert, no trigger, no shared row updated. The document is built once and kept
 * for retries (same event ids; an idempotency key already in the ledger adds nothing).
 */
final class UsageBatch {

    private final List<Append> appends;
    private final String document;
    private final String[] leases;
    private final int events;

    UsageBatch(List<Append> appends, JsonFactory json) {
        this.appends = appends;
        Set<String> leaseIds = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        StringWriter out = new StringWriter(64 + appends.size() * 320);
        int count = 0;
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartArray();
            for (Append append : appends) {
                for (Append.Entry entry : append.entries()) {
                    if (!seen.add(append.tenantId() + "|" + entry.usage().idempotencyKey())) {
                        continue;
                    }
                    if (entry.leaseId() != null) {
                        leaseIds.add(entry.leaseId());
                    }
                    event(g, append, entry);
                    count++;
                }
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.document = out.toString();
        this.leases = leaseIds.toArray(String[]::new);
        this.events = count;
    }

    /** How many events it appends (seqs it uses). */
    int events() {
        return events;
    }

    /**
     * Appends the batch to {@code stream} from {@code firstSeq} on; returns the appends that were not written
     * because a lease of theirs is gone.
     */
    Set<Append> run(Connection connection, String stream, long firstSeq, int timeoutSeconds) throws SQLException {
        Set<String> dropped = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "select idempotency_key, tenant_id from usage_append(?, ?, ?, cast(? as jsonb))")) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, stream);
            statement.setLong(2, firstSeq);
            statement.setArray(3, connection.createArrayOf("text", leases));
            statement.setString(4, document);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    dropped.add(rows.getString(2) + "|" + rows.getString(1));
                }
            }
        }
        if (dropped.isEmpty()) {
            return Set.of();
        }
        Set<Append> lost = new HashSet<>();
        for (Append append : appends) {
            for (Append.Entry entry : append.entries()) {
                if (dropped.contains(append.tenantId() + "|" + entry.usage().idempotencyKey())) {
                    lost.add(append);
                }
            }
        }
        return lost;
    }

    private static void event(JsonGenerator g, Append append, Append.Entry entry) throws IOException {
        Usage usage = entry.usage();
        g.writeStartObject();
        g.writeStringField("id", TypedId.generate("use"));
        g.writeStringField("t", append.tenantId());
        g.writeStringField("m", usage.meter().wireName());
        g.writeStringField("q", usage.quantity().toPlainString());
        g.writeStringField("u", usage.meter().unit());
        g.writeStringField("at", append.at().toString());
        g.writeStringField("k", usage.idempotencyKey());
        g.writeStringField("s", append.origin().reference());
        String apiKey = usage.apiKeyId() != null ? usage.apiKeyId() : append.origin().apiKeyId();
        if (apiKey != null) {
            g.writeStringField("a", apiKey);
        }
        if (usage.modelId() != null) {
            g.writeStringField("md", usage.modelId());
        }
        if (usage.jobId() != null) {
            g.writeStringField("j", usage.jobId());
        }
        if (entry.leaseId() != null) {
            g.writeStringField("l", entry.leaseId());
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
}

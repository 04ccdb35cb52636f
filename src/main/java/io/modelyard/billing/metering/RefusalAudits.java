package io.modelyard.billing.metering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import io.modelyard.billing.ledger.Origin;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.OperatorCredential;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Quota refusals go to the audit log, but a client looping on a spent quota must not flood it: at most one
 * record per tenant and meter per interval, carrying how many refusals it stands for. Refusals on the request
 * path are audited off it, on a thread of their own.
 */
@ApplicationScoped
class RefusalAudits {

    private static final Logger LOG = Logger.getLogger(RefusalAudits.class);

    private static final class Window {
        long openedAt;
        long refusals;
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final long intervalNanos;
    private final AgroalDataSource dataSource;
    private final OperatorCredential operatorCredential;
    private final ObjectMapper json;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "refusal-audits");
        t.setDaemon(true);
        return t;
    });

    RefusalAudits(BillingConfig config, AgroalDataSource dataSource, OperatorCredential operatorCredential, ObjectMapper json) {
        this.intervalNanos = config.refusalAuditInterval().toNanos();
        this.dataSource = dataSource;
        this.operatorCredential = operatorCredential;
        this.json = json;
    }

    /** Counts a refusal; returns how many refusals to audit now (0: stay quiet, it is counted for later). */
    long refused(String tenantId, Meter meter) {
        Window window = windows.computeIfAbsent(tenantId + "|" + meter.wireName(), k -> new Window());
        synchronized (window) {
            long now = System.nanoTime();
            window.refusals++;
            if (window.openedAt != 0 && now - window.openedAt < intervalNanos) {
                return 0;
            }
            long count = window.refusals;
            window.openedAt = now;
            window.refusals = 0;
            return count;
        }
    }

    /** Counts a refusal made from memory; the next audited refusal carries it. */
    void counted(String tenantId, Meter meter) {
        Window window = windows.computeIfAbsent(tenantId + "|" + meter.wireName(), k -> new Window());
        synchronized (window) {
            window.refusals++;
        }
    }

    /** Counts a request-path refusal and, when due, audits it in the background. */
    void audit(String tenantId, Origin origin, QuotaExceeded refusal) {
        long count = refused(tenantId, refusal.meter());
        if (count == 0) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("meter", refusal.meter().wireName());
        details.put("limit", Quantities.plain(refusal.limit()));
        details.put("used", Quantities.plain(refusal.used()));
        details.put("requested", Quantities.plain(refusal.requested()));
        details.put("resets_at", refusal.resetsAt().toString());
        details.put("refusals", count);
        writer.execute(() -> insert(tenantId, origin, refusal.meter(), details));
    }

    /** In operator mode: the refusal's request is over, and its tenant's context with it. */
    private void insert(String tenantId, Origin origin, Meter meter, Map<String, Object> details) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                operatorCredential.enterForTransaction(connection);
                try (PreparedStatement statement = connection.prepareStatement("insert into audit_events (id,"
                        + " tenant_id, actor_type, actor_id, action, target_type, target_id, source_ip, request_id,"
                        + " details, created_at) values (?, ?, ?, ?, 'quota.exceeded', 'meter', ?, ?, ?,"
                        + " cast(? as jsonb), ?)")) {
                    statement.setString(1, TypedId.generate("aud"));
                    statement.setString(2, tenantId);
                    statement.setString(3, origin.actorType());
                    statement.setString(4, origin.actorId());
                    statement.setString(5, meter.wireName());
                    statement.setString(6, origin.sourceIp());
                    statement.setString(7, origin.requestId());
                    statement.setString(8, json.writeValueAsString(details));
                    statement.setObject(9, Instant.now().truncatedTo(ChronoUnit.MICROS)
                            .atOffset(java.time.ZoneOffset.UTC));
                    statement.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | JsonProcessingException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | JsonProcessingException e) {
            LOG.warnf(e, "Could not audit a quota refusal of tenant %s", tenantId);
        }
    }
}

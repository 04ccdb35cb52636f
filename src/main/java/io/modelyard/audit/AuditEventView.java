package io.modelyard.audit;

import java.time.Instant;
import java.util.Map;

public record AuditEventView(String id, String object, String tenantId, Actor actor, String action, Target target,
        String sourceIp, String requestId, String clientRequestId, Map<String, Object> details, Instant createdAt) {

    public record Actor(String type, String id) {
    }

    public record Target(String type, String id) {
    }

    static AuditEventView of(AuditEvent e) {
        return new AuditEventView(e.id, "audit_event", e.tenantId, new Actor(e.actorType, e.actorId), e.action,
                e.targetType == null ? null : new Target(e.targetType, e.targetId), e.sourceIp, e.requestId, e.clientRequestId,
                e.details, e.createdAt);
    }
}

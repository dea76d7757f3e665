package io.corral.panel.audit;

import java.time.OffsetDateTime;

public record AuditView(long id, String actor, String action, String target, String details, OffsetDateTime at) {
    static AuditView of(AuditEvent e) {
        return new AuditView(e.id, e.actor, e.action, e.target, e.details, e.at);
    }
}

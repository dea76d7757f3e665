package io.corral.panel.audit;

import io.corral.panel.common.CurrentUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/** Records audit events in the caller's transaction, so a change and its record commit together. */
@ApplicationScoped
public class Audit {
    @Inject
    CurrentUser user;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, String details) {
        recordAs(user.name(), action, target, details);
    }

    /** For background work, where there is no signed-in user. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAs(String actor, String action, String target, String details) {
        AuditEvent e = new AuditEvent();
        e.actor = actor;
        e.action = action;
        e.target = target;
        e.details = details;
        e.at = OffsetDateTime.now();
        e.persist();
    }
}

package io.corral.panel.audit;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;

/**
 * Records audit events in the caller's transaction, so a change and its record commit together; what
 * happens outside any transaction is recorded in one of its own.
 */
@ApplicationScoped
public class Audit {
    @Inject
    CurrentUser user;

    /** The log, newest first. */
    public Page<AuditView> list(PageRequest page) {
        return Page.of(AuditEvent.findAll(Sort.descending("at", "id")), page, AuditView::of);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, String details) {
        recordAs(user.name(), action, target, details);
    }

    /**
     * For what happens outside the panel's transactions (a live call to an agent): recorded and committed
     * at once, so it stays recorded whatever happens next; returns the event, to {@link #complete} with
     * the outcome.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long recordNow(String action, String target, String details) {
        return recordAs(user.name(), action, target, details).id;
    }

    /** The outcome of an event recorded by {@link #recordNow}, in place of what it said until then. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void complete(long event, String details) {
        AuditEvent.<AuditEvent>findById(event).details = details;
    }

    /** For background work, where there is no signed-in user. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent recordAs(String actor, String action, String target, String details) {
        AuditEvent e = new AuditEvent();
        e.actor = actor;
        e.action = action;
        e.target = target;
        e.details = details;
        e.at = OffsetDateTime.now();
        e.persist();
        return e;
    }
}
